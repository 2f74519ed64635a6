package formread

import (
	"net/url"
	"strings"

	"github.com/minasidor/minasidor/internal/form"
)

// Step is a step's form as typed.
type Step struct {
	Key, TitleSv, TitleEn, IntroSv, IntroEn string
	Cond                                    Condition
}

// ReadStep reads a posted step form.
func ReadStep(v url.Values) Step {
	return Step{Key: strings.TrimSpace(v.Get("key")), TitleSv: v.Get("title_sv"), TitleEn: v.Get("title_en"),
		IntroSv: v.Get("intro_sv"), IntroEn: v.Get("intro_en"), Cond: readCondition(v)}
}

// StepOf writes a step into its form.
func StepOf(s form.Step) Step {
	return Step{Key: s.Key, TitleSv: s.Title["sv"], TitleEn: s.Title["en"], IntroSv: s.Intro["sv"], IntroEn: s.Intro["en"],
		Cond: ConditionOf(s.ShowIf)}
}

// Parse returns the typed step, without fields; its key is empty when none was typed.
func (in Step) Parse() form.Step {
	return form.Step{Key: in.Key, Title: Text(in.TitleSv, in.TitleEn), Intro: Text(in.IntroSv, in.IntroEn),
		ShowIf: in.Cond.Parse()}
}

// Text is a text of a form's Swedish and English inputs, trimmed; nil when both are blank.
func Text(sv, en string) form.Text {
	t := form.Text{}
	if s := strings.TrimSpace(sv); s != "" {
		t["sv"] = s
	}
	if s := strings.TrimSpace(en); s != "" {
		t["en"] = s
	}
	if len(t) == 0 {
		return nil
	}
	return t
}
