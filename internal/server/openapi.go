package server

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"go.yaml.in/yaml/v3"
)

// openAPIYAML is the API description; a test checks it lists exactly the
// routes addRoutes registers.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// OpenAPIJSON converts the embedded description to JSON.
func OpenAPIJSON() ([]byte, error) {
	var doc any
	if err := yaml.Unmarshal(openAPIYAML, &doc); err != nil {
		return nil, fmt.Errorf("openapi: %w", err)
	}
	return json.Marshal(doc)
}

func handleOpenAPIJSON() fiber.Handler {
	body, err := OpenAPIJSON()
	return func(c *fiber.Ctx) error {
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(body)
	}
}

func handleOpenAPIYAML() fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
		return c.Send(openAPIYAML)
	}
}
