package quiz

import (
	"errors"
	"fmt"
)

// Error codes are the stable, machine-readable codes of the HTTP contract.
// The server maps each to one status; everything else in the program speaks
// in these codes so that no layer needs to know about HTTP.
const (
	EBADREQUEST   = "bad_request"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	ETOOLARGE     = "payload_too_large"
	EINVALID      = "validation_failed"
	ERATELIMITED  = "rate_limited"
	EINTERNAL     = "internal"
)

// Detail locates one problem in a request or an uploaded file, so that a
// user can fix every problem in one pass instead of one per try.
type Detail struct {
	Line    int    `json:"line,omitempty"`
	Item    int    `json:"item,omitempty"`
	Path    string `json:"path,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// Error is a failure the user can act on. Its Message is shown to them as
// is, so it is a full sentence without internals; anything else that goes
// wrong is reported as EINTERNAL with a generic message.
type Error struct {
	Code    string
	Message string
	Details []Detail
}

func (e *Error) Error() string {
	return fmt.Sprintf("quiz error: code=%s message=%s", e.Code, e.Message)
}

// Errorf builds an *Error with a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the *Error in err's chain, EINTERNAL for any
// other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; unclassified errors
// get a generic sentence so that internals never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
