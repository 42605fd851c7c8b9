package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/rhitprep/rhitprep/internal/auth"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

var healthBody = []byte(`{"status":"ok"}`)

// handleHealthz answers without touching the database: load tests use it
// as the framework's own ceiling.
func handleHealthz() fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(healthBody)
	}
}

func handleReadyz(db Pinger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			return c.Status(http.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
		return c.JSON(fiber.Map{"status": "ok"})
	}
}

type userView struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Role     string `json:"role"`
}

func viewUser(u quiz.User) userView { return userView{ID: u.ID, Username: u.Username, Role: u.Role} }

type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Role     string `json:"role"`
}

func handleRegister(a *auth.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req credentials
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		u, err := a.CreateUser(c.UserContext(), req.Username, req.Password, quiz.RoleLearner)
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(fiber.Map{"user": viewUser(u)})
	}
}

func handleCreateUser(a *auth.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req credentials
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		if req.Role == "" {
			req.Role = quiz.RoleLearner
		}
		u, err := a.CreateUser(c.UserContext(), req.Username, req.Password, req.Role)
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(fiber.Map{"user": viewUser(u)})
	}
}

func handleLogin(a *auth.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req credentials
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		s, err := a.Login(c.UserContext(), req.Username, req.Password, c.IP())
		if err != nil {
			return err
		}
		secure := c.Protocol() == "https"
		c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: s.Token, Path: "/", Expires: s.ExpiresAt,
			HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: secure})
		c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: s.CSRFToken, Path: "/", Expires: s.ExpiresAt,
			SameSite: fiber.CookieSameSiteLaxMode, Secure: secure})
		return c.JSON(fiber.Map{"token": s.Token, "expires_at": s.ExpiresAt.UTC().Format(time.RFC3339),
			"csrf_token": s.CSRFToken, "user": viewUser(s.User)})
	}
}

func handleLogout(a *auth.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token, _ := c.Locals(tokenKey).(string)
		if err := a.Logout(c.UserContext(), token); err != nil {
			return err
		}
		c.ClearCookie(sessionCookie, csrfCookie)
		return c.SendStatus(http.StatusNoContent)
	}
}

func handleMe() fiber.Handler {
	return func(c *fiber.Ctx) error {
		return c.JSON(viewUser(currentUser(c)))
	}
}

func handleTopics(svc *quiz.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		counts := svc.Index().TopicCounts()
		out := []fiber.Map{}
		for _, t := range quiz.Topics() {
			out = append(out, fiber.Map{"id": t.ID, "name": t.Name, "questions": counts[t.ID]})
		}
		return c.JSON(fiber.Map{"topics": out})
	}
}
