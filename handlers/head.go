package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// answerHead answers a HEAD request as the GET of the same address would
// be answered, without its body: link checkers, feed readers and
// crawlers ask with HEAD first, and no route is registered for it. The
// request is routed and handled as a GET whose body is dropped; its
// method is HEAD again before the answer's head is written (at the end:
// nothing reaches the connection before), so the server sends no body
// and keeps only a length the handler set itself (a file's).
func answerHead(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Method != http.MethodHead {
			return next(c)
		}
		c.Set(headKey, true)
		res := c.Response()
		w := res.Writer
		r.Method, res.Writer = http.MethodGet, headWriter{w}
		defer func() { r.Method, res.Writer = http.MethodHead, w }()
		return next(c)
	}
}

// headKey marks in the context a request that came as HEAD.
const headKey = "pollen.head"

// requestMethod is the method the request came with, HEAD too.
func requestMethod(c echo.Context) string {
	if head, _ := c.Get(headKey).(bool); head {
		return http.MethodHead
	}
	return c.Request().Method
}

// headWriter drops the body of an answer to a HEAD request.
type headWriter struct{ http.ResponseWriter }

func (headWriter) Write(b []byte) (int, error) { return len(b), nil }

// Unwrap gives http.ResponseController the connection's writer.
func (w headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
