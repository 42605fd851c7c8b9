// Package server is rhitprep's HTTP face: a Fiber v2 app speaking the JSON
// contract of api.md. Handlers translate between JSON and the domain and
// return errors; one error handler turns every error into the contract's
// error shape and status.
package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/rhitprep/rhitprep/internal/auth"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/reports"
	"github.com/rhitprep/rhitprep/internal/sets"
)

// Pinger is the readiness probe's view of the database.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the server needs; run() builds them.
type Deps struct {
	Quiz    *quiz.Service
	Auth    *auth.Service
	Sets    *sets.Manager
	Reports *reports.Reports
	DB      Pinger
	Log     *slog.Logger
	Version string
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// for the client address; empty means the peer address is the client.
	TrustedProxies []string
	// Now is the clock; tests fix it.
	Now func() time.Time
	// Web holds the pages; nil serves none.
	Web fs.FS
	// ReadTimeout bounds how long a client may take to send a request;
	// zero means 15 seconds.
	ReadTimeout time.Duration
}

// Limits on what clients may send.
const (
	// UploadLimit caps a question-set upload.
	UploadLimit = 16 << 20
	// JSONLimit caps every other request body: the largest legitimate one
	// (a saved answer, a login) is a few hundred bytes.
	JSONLimit = 64 << 10
)

// New returns the app with every route, middleware and limit in place. The
// tests build it with this same constructor.
func New(d Deps) *fiber.App {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ReadTimeout == 0 {
		d.ReadTimeout = 15 * time.Second
	}
	cfg := fiber.Config{
		AppName:               "rhitprep",
		ErrorHandler:          errorHandler(d.Log),
		BodyLimit:             UploadLimit,
		ReadTimeout:           d.ReadTimeout,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           60 * time.Second,
		DisableStartupMessage: true,
		// Values from the request are copied, so nothing read from one
		// request can change under a goroutine that keeps it.
		Immutable: true,
	}
	if len(d.TrustedProxies) > 0 {
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = d.TrustedProxies
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
	}
	app := fiber.New(cfg)
	app.Use(recover.New(recover.Config{
		EnableStackTrace: true,
		StackTraceHandler: func(c *fiber.Ctx, e any) {
			d.Log.Error("panic", "path", c.Path(), "panic", fmt.Sprint(e))
		},
	}))
	app.Use(securityHeaders)
	addRoutes(app, d)
	return app
}

// securityHeaders are sent with every response: no sniffing, no framing, a
// strict content policy for the pages, and no caching of personal data.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	if strings.HasPrefix(c.Path(), "/api/") {
		c.Set("Cache-Control", "no-store")
	}
	return c.Next()
}

// statusByCode is the one table from domain error codes to HTTP statuses.
var statusByCode = map[string]int{
	quiz.EBADREQUEST:   http.StatusBadRequest,
	quiz.EUNAUTHORIZED: http.StatusUnauthorized,
	quiz.EFORBIDDEN:    http.StatusForbidden,
	quiz.ENOTFOUND:     http.StatusNotFound,
	quiz.ECONFLICT:     http.StatusConflict,
	quiz.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	quiz.EINVALID:      http.StatusUnprocessableEntity,
	quiz.ERATELIMITED:  http.StatusTooManyRequests,
	quiz.EINTERNAL:     http.StatusInternalServerError,
}

// codeByStatus names the statuses that Fiber itself produces (unknown
// routes, wrong methods, oversized bodies, timeouts).
var codeByStatus = map[int]string{
	http.StatusBadRequest:            quiz.EBADREQUEST,
	http.StatusNotFound:              quiz.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: quiz.ETOOLARGE,
	http.StatusRequestTimeout:        "timeout",
	http.StatusUnsupportedMediaType:  quiz.EBADREQUEST,
}

type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code    string        `json:"code"`
	Message string        `json:"message"`
	Details []quiz.Detail `json:"details,omitempty"`
}

// errorHandler answers every error in the contract's shape. Only internal
// errors are logged, and their text never reaches the client.
func errorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		var body errorPayload
		status := http.StatusInternalServerError
		var fe *fiber.Error
		if errors.As(err, &fe) {
			status = fe.Code
			body.Code = codeByStatus[status]
			body.Message = fiberMessage(status, fe.Message)
			if body.Code == "" {
				body.Code = quiz.EINTERNAL
				if status < 500 {
					body.Code = quiz.EBADREQUEST
				}
			}
		} else {
			body.Code = quiz.ErrorCode(err)
			body.Message = quiz.ErrorMessage(err)
			var qe *quiz.Error
			if errors.As(err, &qe) {
				body.Details = qe.Details
			}
			if s, ok := statusByCode[body.Code]; ok {
				status = s
			}
		}
		if status >= 500 {
			log.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
			body = errorPayload{Code: quiz.EINTERNAL, Message: "Internal error."}
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Status(status).JSON(errorBody{Error: body})
	}
}

// fiberMessage turns Fiber's terse messages into sentences for people.
func fiberMessage(status int, msg string) string {
	switch status {
	case http.StatusNotFound:
		return "No such page or endpoint."
	case http.StatusMethodNotAllowed:
		return "This endpoint does not take that method."
	case http.StatusRequestEntityTooLarge:
		return "The request body is larger than allowed."
	case http.StatusRequestTimeout:
		return "The request took too long."
	}
	if status >= 500 {
		return "Internal error."
	}
	return "The request is not valid: " + msg
}
