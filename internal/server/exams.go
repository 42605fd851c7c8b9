package server

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"github.com/rhitprep/rhitprep/internal/quiz"
)

type startRequest struct {
	Mode       string   `json:"mode"`
	Topics     []string `json:"topics"`
	Count      int      `json:"count"`
	Feedback   string   `json:"feedback"`
	TimeLimitS *int     `json:"time_limit_s"`
	Difficulty string   `json:"difficulty"`
	Sets       []string `json:"sets"`
	Generated  bool     `json:"generated"`
}

func handleStartExam(svc *quiz.Service, now func() time.Time) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req startRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		sr := quiz.StartRequest{Mode: req.Mode, Topics: req.Topics, Count: req.Count, Feedback: req.Feedback,
			Difficulty: req.Difficulty, Sets: req.Sets, Generated: req.Generated}
		if req.TimeLimitS != nil {
			if *req.TimeLimitS < 1 {
				return quiz.Errorf(quiz.EINVALID, "time_limit_s must be between 1 and %d.", quiz.MaxTimeLimit)
			}
			sr.TimeLimit = *req.TimeLimitS
		}
		a, err := svc.Start(c.UserContext(), currentUser(c), sr)
		if err != nil {
			return err
		}
		return c.Status(http.StatusCreated).JSON(viewAttempt(a, now()))
	}
}

func handleListExams(svc *quiz.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		list, err := svc.Attempts(c.UserContext(), currentUser(c))
		if err != nil {
			return err
		}
		out := make([]fiber.Map, len(list))
		for i, a := range list {
			out[i] = fiber.Map{"id": a.ID, "mode": a.Mode, "status": a.Status, "started_at": a.StartedAt,
				"submitted_at": a.FinishedAt, "percent": a.Percent}
		}
		return c.JSON(fiber.Map{"exams": out})
	}
}

// examID reads the :id parameter; a value that is not a UUID names no exam.
func examID(c *fiber.Ctx) (string, error) {
	id := c.Params("id")
	if _, err := uuid.Parse(id); err != nil {
		return "", quiz.Errorf(quiz.ENOTFOUND, "No exam with that id.")
	}
	return id, nil
}

func handleGetExam(svc *quiz.Service, now func() time.Time) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := examID(c)
		if err != nil {
			return err
		}
		a, err := svc.Attempt(c.UserContext(), currentUser(c), id)
		if err != nil {
			return err
		}
		return c.JSON(viewAttempt(a, now()))
	}
}

func handleSaveItem(svc *quiz.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := examID(c)
		if err != nil {
			return err
		}
		pos, err := strconv.Atoi(c.Params("position"))
		if err != nil {
			return quiz.Errorf(quiz.EBADREQUEST, "The position must be a whole number.")
		}
		var raw map[string]json.RawMessage
		if err := decodeJSON(c, &raw); err != nil {
			return err
		}
		var req quiz.SaveRequest
		if v, ok := raw["response"]; ok {
			var r quiz.Response
			if err := r.UnmarshalJSON(v); err != nil {
				return err
			}
			req.Response = &r
		}
		if v, ok := raw["flagged"]; ok {
			var f bool
			if err := json.Unmarshal(v, &f); err != nil {
				return quiz.Errorf(quiz.EINVALID, "flagged must be true or false.")
			}
			req.Flagged = &f
		}
		if v, ok := raw["unsure"]; ok {
			var u bool
			if err := json.Unmarshal(v, &u); err != nil {
				return quiz.Errorf(quiz.EINVALID, "unsure must be true or false.")
			}
			req.Unsure = &u
		}
		st, err := svc.SaveItem(c.UserContext(), currentUser(c), id, pos, req)
		if err != nil {
			return err
		}
		out := fiber.Map{"position": pos, "response": st.Response, "flagged": st.Flagged, "unsure": st.Unsure}
		if st.Feedback == quiz.Immediate && st.Credit != nil {
			out["correct"] = *st.Credit >= 1
			out["credit"] = *st.Credit
			out["answer"] = answerOf(st.Question)
			out["rationale"] = st.Question.Rationale
			out["references"] = st.Question.References
		}
		return c.JSON(out)
	}
}

func handleSubmitExam(svc *quiz.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := examID(c)
		if err != nil {
			return err
		}
		a, err := svc.Submit(c.UserContext(), currentUser(c), id)
		if err != nil {
			return err
		}
		return c.JSON(viewResult(a))
	}
}

func handleExamResult(svc *quiz.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := examID(c)
		if err != nil {
			return err
		}
		a, err := svc.Result(c.UserContext(), currentUser(c), id)
		if err != nil {
			return err
		}
		return c.JSON(viewResult(a))
	}
}

func viewArea(kind string, a quiz.AreaProgress) fiber.Map {
	m := fiber.Map{kind: a.Key, "name": a.Name, "answered": a.Answered, "correct": a.Correct,
		"accuracy": round(a.Accuracy, 4), "mastery": round(a.Mastery.Estimate, 4),
		"mastery_low": round(a.Mastery.Low, 4), "mastery_high": round(a.Mastery.High, 4),
		"weak": a.Mastery.Weak, "strong": a.Mastery.Strong, "seconds_per_item": nil}
	if a.SecondsPerItem != nil {
		m["seconds_per_item"] = round(*a.SecondsPerItem, 1)
	}
	return m
}

func handleProgress(svc *quiz.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, err := svc.Progress(c.UserContext(), currentUser(c))
		if err != nil {
			return err
		}
		topics := make([]fiber.Map, len(p.Topics))
		for i, t := range p.Topics {
			topics[i] = viewArea("topic", t)
		}
		domains := make([]fiber.Map, len(p.Domains))
		for i, d := range p.Domains {
			domains[i] = viewArea("domain", d)
		}
		history := make([]fiber.Map, len(p.History))
		for i, h := range p.History {
			history[i] = fiber.Map{"exam_id": h.ExamID, "mode": h.Mode, "finished_at": h.FinishedAt, "percent": h.Percent}
		}
		leeches := make([]fiber.Map, len(p.Leeches))
		for i, l := range p.Leeches {
			leeches[i] = fiber.Map{"question_id": l.Question.ID, "topic": l.Question.Topic, "lapses": l.Lapses,
				"stem": l.Question.Stem, "answer": answerOf(l.Question), "rationale": l.Question.Rationale}
		}
		trend := make([]fiber.Map, len(p.Trend))
		for i, d := range p.Trend {
			trend[i] = fiber.Map{"day": d.Day, "topic": d.Topic, "answered": d.Answered, "correct": d.Correct,
				"accuracy": round(float64(d.Correct)/float64(max(1, d.Answered)), 4)}
		}
		var readiness any
		if r := p.Readiness; r != nil {
			sugg := make([]fiber.Map, len(r.Suggestions))
			for i, sg := range r.Suggestions {
				sugg[i] = fiber.Map{"domain": sg.Domain, "name": sg.Name, "topic": sg.Topic, "from": round(sg.From, 4),
					"to": round(sg.To, 4), "points": sg.Points, "message": sg.Message}
			}
			readiness = fiber.Map{"predicted_scaled": r.PredictedScaled, "low": r.Low, "high": r.High,
				"pass_probability": r.PassProbability, "expected_percent": r.ExpectedPercent, "suggestions": sugg,
				"note": "An estimate from your answers so far, not an official score."}
		}
		pacing := fiber.Map{"seconds_per_item": nil, "target_seconds": quiz.TargetPace.Seconds(), "slowest_topics": p.Pacing.SlowestTopics}
		if p.Pacing.SecondsPerItem != nil {
			pacing["seconds_per_item"] = round(*p.Pacing.SecondsPerItem, 1)
		}
		if p.Pacing.SlowestTopics == nil {
			pacing["slowest_topics"] = []string{}
		}
		var plan any
		if p.Plan != nil {
			plan = fiber.Map{"exam_date": p.Plan.ExamDate.Format(time.DateOnly), "daily_budget": p.Plan.DailyBudget,
				"answered_today": p.Plan.AnsweredToday, "days_left": p.Plan.DaysLeft}
		}
		return c.JSON(fiber.Map{"topics": topics, "domains": domains, "weak_topics": p.WeakTopics,
			"due_reviews": p.DueReviews, "leeches": leeches, "readiness": readiness, "pacing": pacing,
			"trend": trend, "history": history, "plan": plan})
	}
}

type planRequest struct {
	ExamDate    *string `json:"exam_date"`
	DailyBudget int     `json:"daily_budget"`
}

func handleSetPlan(svc *quiz.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req planRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		var p quiz.Plan
		if req.ExamDate != nil && *req.ExamDate != "" {
			d, err := time.Parse(time.DateOnly, *req.ExamDate)
			if err != nil {
				return quiz.Errorf(quiz.EINVALID, "exam_date must be a date like 2027-03-15.")
			}
			p = quiz.Plan{ExamDate: d, DailyBudget: req.DailyBudget}
		}
		if err := svc.SetPlan(c.UserContext(), currentUser(c), p); err != nil {
			return err
		}
		return c.SendStatus(http.StatusNoContent)
	}
}

// answerOf is the key as the contract shows it: option ids, or a number.
func answerOf(q *quiz.Question) any {
	if q.Type == quiz.Numeric {
		return q.Value
	}
	return q.Answer
}

func round(f float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(f*p) / p
}

type optionView struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// itemView is an item as the learner sees it. Key fields are filled only
// when the attempt may reveal them.
type itemView struct {
	Position   int           `json:"position"`
	QuestionID string        `json:"question_id"`
	Topic      string        `json:"topic"`
	Type       string        `json:"type"`
	Scenario   string        `json:"scenario,omitempty"`
	Stem       string        `json:"stem"`
	Options    []optionView  `json:"options,omitempty"`
	Select     int           `json:"select,omitempty"`
	Response   quiz.Response `json:"response"`
	Flagged    bool          `json:"flagged"`
	Unsure     bool          `json:"unsure"`
	Correct    *bool         `json:"correct,omitempty"`
	Answer     any           `json:"answer,omitempty"`
	Rationale  string        `json:"rationale,omitempty"`
	References []string      `json:"references,omitempty"`
}

func viewItem(a *quiz.Attempt, it *quiz.Item) itemView {
	q := it.Question
	v := itemView{Position: it.Position, QuestionID: q.ID, Topic: q.Topic, Type: q.Type, Scenario: q.Scenario,
		Stem: q.Stem, Response: it.Response, Flagged: it.Flagged, Unsure: it.Unsure}
	if q.Type == quiz.Multiple {
		v.Select = q.Select()
	}
	text := map[string]string{}
	for _, o := range q.Options {
		text[o.ID] = o.Text
	}
	for _, id := range it.Order {
		v.Options = append(v.Options, optionView{ID: id, Text: text[id]})
	}
	if a.Revealed(it) {
		correct := it.Correct()
		v.Correct = &correct
		v.Answer = answerOf(q)
		v.Rationale = q.Rationale
		v.References = q.References
	}
	return v
}

type attemptView struct {
	ID             string     `json:"id"`
	Mode           string     `json:"mode"`
	Status         string     `json:"status"`
	Feedback       string     `json:"feedback"`
	StartedAt      time.Time  `json:"started_at"`
	Deadline       *time.Time `json:"deadline"`
	TimeRemainingS *int       `json:"time_remaining_s"`
	SubmittedAt    *time.Time `json:"submitted_at"`
	Items          []itemView `json:"items"`
}

func viewAttempt(a *quiz.Attempt, now time.Time) attemptView {
	v := attemptView{ID: a.ID, Mode: a.Mode, Status: a.Status, Feedback: a.Feedback, StartedAt: a.StartedAt,
		Deadline: a.Deadline, SubmittedAt: a.FinishedAt, Items: make([]itemView, len(a.Items))}
	if a.Deadline != nil {
		left := 0
		if a.Status == quiz.InProgress {
			left = max(0, int(math.Ceil(a.Deadline.Sub(now).Seconds())))
		}
		v.TimeRemainingS = &left
	}
	for i, it := range a.Items {
		v.Items[i] = viewItem(a, it)
	}
	return v
}

type groupView struct {
	Topic   string  `json:"topic,omitempty"`
	Domain  string  `json:"domain,omitempty"`
	Name    string  `json:"name"`
	Correct float64 `json:"correct"`
	Total   int     `json:"total"`
	Percent float64 `json:"percent"`
}

type resultItemView struct {
	itemView
	TimeSpentS int  `json:"time_spent_s"`
	Scored     bool `json:"scored"`
	Domain     int  `json:"domain"`
}

func viewResult(a *quiz.Attempt) fiber.Map {
	score := fiber.Map{}
	if a.Score != nil {
		score = fiber.Map{"correct": a.Score.Correct, "total": a.Score.Total, "percent": a.Score.Percent}
		if a.Score.Scaled != nil {
			score["scaled"] = *a.Score.Scaled
			score["passed"] = *a.Score.Passed
		}
	}
	byTopic, byDomain := quiz.Breakdown(a)
	topics := make([]groupView, len(byTopic))
	for i, g := range byTopic {
		topics[i] = groupView{Topic: g.Key, Name: g.Name, Correct: g.Correct, Total: g.Total, Percent: g.Percent}
	}
	domains := make([]groupView, len(byDomain))
	for i, g := range byDomain {
		domains[i] = groupView{Domain: g.Key, Name: g.Name, Correct: g.Correct, Total: g.Total, Percent: g.Percent}
	}
	items := make([]resultItemView, len(a.Items))
	for i, it := range a.Items {
		items[i] = resultItemView{itemView: viewItem(a, it), TimeSpentS: int(math.Round(it.TimeSpent.Seconds())),
			Scored: it.Scored, Domain: it.Question.Domain}
	}
	return fiber.Map{"id": a.ID, "mode": a.Mode, "status": a.Status, "started_at": a.StartedAt,
		"submitted_at": a.FinishedAt, "score": score, "by_topic": topics, "by_domain": domains, "items": items}
}
