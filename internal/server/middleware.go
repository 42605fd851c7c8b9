package server

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/rhitprep/rhitprep/internal/auth"
	"github.com/rhitprep/rhitprep/internal/quiz"
)

// Cookie names. The session cookie is HttpOnly; the CSRF cookie is read by
// the pages' script and echoed in the X-CSRF-Token header.
const (
	sessionCookie = "rhitprep_session"
	csrfCookie    = "rhitprep_csrf"
	csrfHeader    = "X-CSRF-Token"
)

type ctxKey int

const (
	userKey ctxKey = iota
	tokenKey
)

// authenticate admits requests with a live session, from the Authorization
// header or the session cookie. Cookie-authenticated requests that change
// state must also carry the session's CSRF token, which another site cannot
// read.
func authenticate(a *auth.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token, fromCookie := "", false
		if h := c.Get(fiber.HeaderAuthorization); h != "" {
			scheme, rest, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				return quiz.Errorf(quiz.EUNAUTHORIZED, "Use Authorization: Bearer <token>.")
			}
			token = strings.TrimSpace(rest)
		} else if ck := c.Cookies(sessionCookie); ck != "" {
			token, fromCookie = ck, true
		}
		if token == "" {
			return quiz.Errorf(quiz.EUNAUTHORIZED, "Sign in to continue.")
		}
		user, csrf, err := a.Authenticate(c.UserContext(), token)
		if err != nil {
			return err
		}
		if fromCookie && !safeMethod(c.Method()) {
			got := c.Get(csrfHeader)
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(csrf)) != 1 {
				return quiz.Errorf(quiz.EFORBIDDEN, "The request lacks this session's CSRF token (send it in the X-CSRF-Token header).")
			}
		}
		c.Locals(userKey, user)
		c.Locals(tokenKey, token)
		return c.Next()
	}
}

func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// requireRole is the one place where roles are checked.
func requireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !slices.Contains(roles, currentUser(c).Role) {
			return quiz.Errorf(quiz.EFORBIDDEN, "Your account's role cannot do this.")
		}
		return c.Next()
	}
}

// currentUser is the signed-in user; authenticate has put it there.
func currentUser(c *fiber.Ctx) quiz.User {
	u, _ := c.Locals(userKey).(quiz.User)
	return u
}

// limitJSON refuses JSON bodies larger than any legitimate request, so only
// uploads may use the app's larger body limit.
func limitJSON(c *fiber.Ctx) error {
	if len(c.Body()) > JSONLimit && !(c.Method() == fiber.MethodPost && strings.HasSuffix(c.Path(), "/question-sets")) {
		return quiz.Errorf(quiz.ETOOLARGE, "The request body is larger than %d KiB.", JSONLimit>>10)
	}
	return c.Next()
}

// decodeJSON reads the request body into v: malformed JSON is EBADREQUEST,
// a well-formed body with a wrong type is EINVALID.
func decodeJSON(c *fiber.Ctx, v any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		return quiz.Errorf(quiz.EBADREQUEST, "A JSON body is required.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return quiz.Errorf(quiz.EBADREQUEST, "The body must hold one JSON value.")
	}
	return nil
}

func jsonError(err error) error {
	var qe *quiz.Error
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &qe):
		return qe
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return quiz.Errorf(quiz.EBADREQUEST, "The body must be a JSON object.")
		}
		return &quiz.Error{Code: quiz.EINVALID, Message: fmt.Sprintf("%s has the wrong type: expected %s.", field, jsonKind(te.Type.Kind().String())),
			Details: []quiz.Detail{{Field: field, Message: "wrong type"}}}
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return quiz.Errorf(quiz.EBADREQUEST, "The body is not valid JSON.")
	}
	return quiz.Errorf(quiz.EBADREQUEST, "The body is not valid JSON.")
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice":
		return "a list"
	case "ptr", "struct", "map":
		return "an object"
	}
	return k
}
