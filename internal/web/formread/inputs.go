package formread

import "strings"

// Which input of an editor's form a problem of the definition is at. A problem's path is split
// at its step or field (form.DefinitionError.Item); the rest of it (".rules.min") names the
// input.

// ruleInputs are the inputs of the rules, by the rules' names in the definition.
var ruleInputs = map[string]string{
	"minLength": "min_length", "maxLength": "max_length", "pattern": "pattern", "patternMessage": "pattern_message_sv",
	"min": "min", "max": "max", "integer": "integer", "minDate": "min_date", "maxDate": "max_date",
	"minChoices": "min_choices", "maxChoices": "max_choices",
}

// RuleInput returns the input of the rule with the name ("minLength"); "" when there is no such
// rule.
func RuleInput(rule string) string { return ruleInputs[rule] }

// conditionInput is the input of a condition's problem.
func conditionInput(rest string) string {
	switch {
	case rest == ".showIf.op":
		return "show_if_op"
	case strings.HasPrefix(rest, ".showIf.value"):
		return "show_if_value"
	}
	return "show_if_field"
}

// FieldInput returns the input of the field form that the rest of a problem's path in the field
// names; "" when none does.
func FieldInput(rest string) string {
	switch {
	case rest == ".key":
		return "key"
	case rest == ".type":
		return "type"
	case rest == ".label":
		return "label_sv"
	case rest == ".help":
		return "help_sv"
	case rest == ".required":
		return "required"
	case rest == ".prefill":
		return "prefill"
	case strings.HasPrefix(rest, ".options"):
		return "options"
	case strings.HasPrefix(rest, ".rules."):
		return ruleInputs[strings.TrimPrefix(rest, ".rules.")]
	case rest == ".upload", rest == ".upload.maxFiles":
		return "upload_max_files"
	case rest == ".upload.maxBytes":
		return "upload_max_mb"
	case strings.HasPrefix(rest, ".upload.types"):
		return "upload_types"
	case rest == ".resource":
		return "resource"
	case strings.HasPrefix(rest, ".showIf"):
		return conditionInput(rest)
	}
	return ""
}

// StepInput returns the input of the step form that the rest of a problem's path in the step
// names; "" when none does.
func StepInput(rest string) string {
	switch {
	case rest == ".key":
		return "key"
	case rest == ".title":
		return "title_sv"
	case rest == ".intro":
		return "intro_sv"
	case strings.HasPrefix(rest, ".showIf"):
		return conditionInput(rest)
	}
	return ""
}

// NewStepInput returns the input of the editor's add-step form that the rest of a problem's path
// names; "" when none does.
func NewStepInput(rest string) string {
	switch rest {
	case ".key":
		return "new_step_key"
	case ".title":
		return "new_step_title"
	}
	return ""
}
