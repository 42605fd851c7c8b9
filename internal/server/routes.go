package server

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

// addRoutes is the whole HTTP surface of rhitprep in one place. Each route
// lists its guards: signedIn (a live session, CSRF for cookie sessions),
// then staff or admin (the role check, done only by requireRole).
func addRoutes(app *fiber.App, d Deps) {
	signedIn := authenticate(d.Auth)
	staff := requireRole(quiz.RoleInstructor, quiz.RoleAdmin)
	admin := requireRole(quiz.RoleAdmin)

	app.Get("/healthz", handleHealthz())
	app.Get("/readyz", handleReadyz(d.DB))

	api := app.Group("/api/v1", limitJSON)
	api.Get("/openapi.json", handleOpenAPIJSON())
	api.Get("/openapi.yaml", handleOpenAPIYAML())
	api.Get("/topics", handleTopics(d.Quiz))

	api.Post("/auth/register", handleRegister(d.Auth))
	api.Post("/auth/login", handleLogin(d.Auth))
	api.Post("/auth/logout", signedIn, handleLogout(d.Auth))
	api.Get("/me", signedIn, handleMe())
	api.Post("/users", signedIn, admin, handleCreateUser(d.Auth))

	api.Get("/exams", signedIn, handleListExams(d.Quiz))
	api.Post("/exams", signedIn, handleStartExam(d.Quiz, d.Now))
	api.Get("/exams/:id", signedIn, handleGetExam(d.Quiz, d.Now))
	api.Put("/exams/:id/items/:position", signedIn, handleSaveItem(d.Quiz))
	api.Post("/exams/:id/submit", signedIn, handleSubmitExam(d.Quiz))
	api.Get("/exams/:id/result", signedIn, handleExamResult(d.Quiz))
	api.Get("/progress", signedIn, handleProgress(d.Quiz))
	api.Put("/me/plan", signedIn, handleSetPlan(d.Quiz))

	api.Post("/question-sets", signedIn, staff, handleUploadSet(d.Sets))
	api.Get("/question-sets", signedIn, staff, handleListSets(d.Sets))
	api.Get("/question-sets/:id", signedIn, staff, handleGetSet(d.Sets))
	api.Get("/question-sets/:id/export", signedIn, staff, handleExportSet(d.Sets))
	api.Delete("/question-sets/:id", signedIn, staff, handleRetireSet(d.Sets))
	api.Get("/reports/items", signedIn, staff, handleItemReport(d.Reports))
	api.Get("/reports/learners", signedIn, staff, handleLearnersReport(d.Reports))

	// Anything else under /api answers the contract's 404, never a page.
	api.Use(func(c *fiber.Ctx) error { return fiber.NewError(http.StatusNotFound) })

	if d.Web != nil {
		app.Use("/", filesystem.New(filesystem.Config{Root: http.FS(d.Web), Index: "index.html"}))
	}
}
