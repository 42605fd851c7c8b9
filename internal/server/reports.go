package server

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/rhitprep/rhitprep/internal/quiz"
	"github.com/rhitprep/rhitprep/internal/reports"
)

func roundPtr(f *float64, places int) any {
	if f == nil {
		return nil
	}
	return round(*f, places)
}

func handleItemReport(r *reports.Reports) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Query("set")
		if _, err := uuid.Parse(id); err != nil {
			return quiz.Errorf(quiz.EINVALID, "Give the set to analyse as ?set=<set id>.")
		}
		minResponses := reports.DefaultMinResponses
		if v := c.Query("min_responses"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 100000 {
				return quiz.Errorf(quiz.EINVALID, "min_responses must be a whole number from 1 to 100000.")
			}
			minResponses = n
		}
		rep, err := r.Items(c.UserContext(), id, minResponses)
		if err != nil {
			return err
		}
		stems := map[string]string{}
		for _, q := range rep.Questions {
			stems[q.ID] = q.Stem
		}
		items := make([]fiber.Map, len(rep.Items))
		for i, it := range rep.Items {
			flags := it.Flags
			if flags == nil {
				flags = []string{}
			}
			items[i] = fiber.Map{"question_id": it.ID, "stem": stems[it.ID], "responses": it.Responses,
				"facility": roundPtr(it.Facility, 4), "sd": roundPtr(it.SD, 4),
				"discrimination": roundPtr(it.Discrimination, 4), "efficiency": roundPtr(it.Efficiency, 4),
				"distractors": it.Distractors, "flags": flags, "dubious": len(flags) > 0}
		}
		t := rep.Test
		return c.JSON(fiber.Map{"set": viewSet(rep.Set), "learners": rep.Learners, "min_responses": minResponses,
			"items": items,
			"reliability": fiber.Map{"kr20": roundPtr(t.Alpha, 4), "alpha": roundPtr(t.Alpha, 4),
				"error_ratio": roundPtr(t.ErrorRatio, 4), "standard_error": roundPtr(t.StandardError, 4),
				"mean_score": roundPtr(t.MeanScore, 4), "sd": roundPtr(t.SD, 4), "attempts": t.Attempts}})
	}
}

func handleLearnersReport(r *reports.Reports) fiber.Handler {
	return func(c *fiber.Ctx) error {
		list, err := r.Learners(c.UserContext())
		if err != nil {
			return err
		}
		switch c.Query("format", "json") {
		case "csv":
			data, err := learnersCSV(list)
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
			c.Set(fiber.HeaderContentDisposition, `attachment; filename="learners.csv"`)
			return c.Send(data)
		case "json":
		default:
			return quiz.Errorf(quiz.EINVALID, "format must be json or csv.")
		}
		out := make([]fiber.Map, len(list))
		for i, l := range list {
			topics := make([]fiber.Map, len(l.Topics))
			for j, t := range l.Topics {
				topics[j] = fiber.Map{"topic": t.Topic, "answered": t.Answered, "accuracy": round(t.Accuracy, 4),
					"mastery": round(t.Mastery.Estimate, 4), "weak": t.Mastery.Weak}
			}
			var readiness any
			if l.Readiness != nil {
				readiness = fiber.Map{"predicted_scaled": l.Readiness.PredictedScaled, "pass_probability": l.Readiness.PassProbability}
			}
			out[i] = fiber.Map{"user": viewUser(l.User), "exams": l.Exams, "last_exam_at": l.LastExam,
				"answered": l.Answered, "accuracy": round(l.Accuracy, 4), "topics": topics,
				"weak_topics": l.WeakTopics, "readiness": readiness}
		}
		return c.JSON(fiber.Map{"learners": out})
	}
}

// learnersCSV writes one row per learner. Cells a spreadsheet would run as
// a formula are prefixed with a quote, since usernames are user input.
func learnersCSV(list []reports.LearnerReport) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	head := []string{"username", "role", "exams", "last_exam_at", "answered", "accuracy"}
	for _, t := range quiz.Topics() {
		head = append(head, t.ID+"_answered", t.ID+"_accuracy", t.ID+"_mastery")
	}
	head = append(head, "weak_topics", "predicted_scaled", "pass_probability")
	if err := w.Write(head); err != nil {
		return nil, err
	}
	for _, l := range list {
		last := ""
		if l.LastExam != nil {
			last = l.LastExam.UTC().Format(time.RFC3339)
		}
		row := []string{safeCell(l.User.Username), l.User.Role, strconv.Itoa(l.Exams), last,
			strconv.Itoa(l.Answered), fmt.Sprintf("%.4f", l.Accuracy)}
		for _, t := range l.Topics {
			row = append(row, strconv.Itoa(t.Answered), fmt.Sprintf("%.4f", t.Accuracy), fmt.Sprintf("%.4f", t.Mastery.Estimate))
		}
		ps, pp := "", ""
		if l.Readiness != nil {
			ps, pp = strconv.Itoa(l.Readiness.PredictedScaled), fmt.Sprintf("%.2f", l.Readiness.PassProbability)
		}
		row = append(row, strings.Join(l.WeakTopics, "; "), ps, pp)
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
