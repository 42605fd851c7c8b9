package server

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/rhitprep/rhitprep/internal/bank"
	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/sets"
	"github.com/rhitprep/rhitprep/internal/store"
)

func viewSet(s store.SetInfo) fiber.Map {
	return fiber.Map{"id": s.ID, "name": s.Name, "version": s.Version, "questions": s.Questions,
		"created_at": s.CreatedAt, "updated_at": s.UpdatedAt, "retired": s.Retired, "source": s.Source,
		"description": s.Description}
}

// param reads an upload parameter from the query string, or from a
// multipart field of the same name.
func param(c *fiber.Ctx, name string) string {
	if v := c.Query(name); v != "" {
		return v
	}
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		return c.FormValue(name)
	}
	return ""
}

func handleUploadSet(m *sets.Manager) fiber.Handler {
	return func(c *fiber.Ctx) error {
		up := sets.Upload{Format: param(c, "format"), Name: param(c, "name"), Topic: param(c, "topic"),
			OwnerID: currentUser(c).ID}
		if d := param(c, "domain"); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil || n < 1 || n > 6 {
				return quiz.Errorf(quiz.EINVALID, "domain must be an RHIT domain from 1 to 6.")
			}
			up.Domain = n
		}
		switch v := param(c, "dry_run"); v {
		case "", "false", "0":
		case "true", "1":
			up.DryRun = true
		default:
			return quiz.Errorf(quiz.EBADREQUEST, "dry_run must be true or false.")
		}
		if strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
			fh, err := c.FormFile("file")
			if err != nil {
				return quiz.Errorf(quiz.EBADREQUEST, "A multipart upload needs the file in the field \"file\".")
			}
			f, err := fh.Open()
			if err != nil {
				return quiz.Errorf(quiz.EBADREQUEST, "The uploaded file cannot be read.")
			}
			defer f.Close()
			data, err := io.ReadAll(io.LimitReader(f, UploadLimit+1))
			if err != nil {
				return quiz.Errorf(quiz.EBADREQUEST, "The uploaded file cannot be read.")
			}
			if len(data) > UploadLimit {
				return quiz.Errorf(quiz.ETOOLARGE, "The file is larger than %d MiB.", UploadLimit>>20)
			}
			up.Data, up.Filename = data, fh.Filename
		} else {
			up.Data = c.Body()
			up.Filename = c.Query("filename")
		}
		if len(up.Data) == 0 {
			return quiz.Errorf(quiz.EBADREQUEST, "The upload is empty.")
		}
		out, err := m.Import(c.UserContext(), up)
		if err != nil {
			return err
		}
		warnings := out.Warnings
		if warnings == nil {
			warnings = []quiz.Detail{}
		}
		if out.DryRun {
			return c.JSON(fiber.Map{"dry_run": true, "format": out.Format, "set": viewSet(out.Set), "warnings": warnings})
		}
		return c.Status(http.StatusCreated).JSON(fiber.Map{"format": out.Format, "set": viewSet(out.Set), "warnings": warnings})
	}
}

func handleListSets(m *sets.Manager) fiber.Handler {
	return func(c *fiber.Ctx) error {
		list, err := m.List(c.UserContext())
		if err != nil {
			return err
		}
		out := make([]fiber.Map, len(list))
		for i, s := range list {
			out[i] = viewSet(s)
		}
		return c.JSON(fiber.Map{"sets": out})
	}
}

func setID(c *fiber.Ctx) (string, error) {
	id := c.Params("id")
	if _, err := uuid.Parse(id); err != nil {
		return "", quiz.Errorf(quiz.ENOTFOUND, "No question set with that id.")
	}
	return id, nil
}

func viewQuestion(q *quiz.Question) fiber.Map {
	opts := make([]fiber.Map, len(q.Options))
	for i, o := range q.Options {
		opts[i] = fiber.Map{"id": o.ID, "text": o.Text}
		if o.Pinned {
			opts[i]["pinned"] = true
		}
	}
	v := fiber.Map{"id": q.ID, "topic": q.Topic, "domain": q.Domain, "subtopic": q.Subtopic,
		"difficulty": q.Difficulty, "cognitive": q.Cognitive, "type": q.Type, "stem": q.Stem,
		"options": opts, "answer": answerOf(q), "tolerance": q.Tolerance, "select": q.Select(),
		"partial_credit": q.PartialCredit, "rationale": q.Rationale, "references": q.References,
		"version": q.Version}
	if q.References == nil {
		v["references"] = []string{}
	}
	if q.ScenarioID != "" {
		v["scenario_id"] = q.ScenarioID
		v["scenario"] = q.Scenario
	}
	if q.Review.Status != "" {
		v["review"] = q.Review
	}
	return v
}

func handleGetSet(m *sets.Manager) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := setID(c)
		if err != nil {
			return err
		}
		info, qs, err := m.Get(c.UserContext(), id)
		if err != nil {
			return err
		}
		out := viewSet(info)
		questions := make([]fiber.Map, len(qs))
		for i, q := range qs {
			questions[i] = viewQuestion(q)
		}
		return c.JSON(fiber.Map{"set": out, "questions": questions})
	}
}

func handleExportSet(m *sets.Manager) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := setID(c)
		if err != nil {
			return err
		}
		format := c.Query("format", "yaml")
		info, qs, err := m.Get(c.UserContext(), id)
		if err != nil {
			return err
		}
		data, mime, err := sets.Export(format, &bank.Set{Name: info.Name, Description: info.Description, Questions: qs})
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, mime)
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+safeFilename(info.Name)+`.`+format+`"`)
		return c.Send(data)
	}
}

// safeFilename keeps a set name usable as a download's file name.
func safeFilename(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "question-set"
	}
	return b.String()
}

func handleRetireSet(m *sets.Manager) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := setID(c)
		if err != nil {
			return err
		}
		if err := m.Retire(c.UserContext(), id); err != nil {
			return err
		}
		return c.SendStatus(http.StatusNoContent)
	}
}
