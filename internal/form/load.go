package form

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/minasidor/minasidor/internal/apperr"
)

// ErrJSON is the error of Parse for input that is not a form definition in JSON: bad syntax,
// unknown properties, wrong types or trailing data. It is of kind apperr.Invalid.
var ErrJSON = apperr.New(apperr.Invalid, "error.form.json")

// Parse decodes a form definition from JSON strictly (unknown properties and trailing data are
// errors) and checks it with Check. A decoding failure wraps ErrJSON; a failed check is the error
// of Check, whose problems AsDefinitionErrors returns. Both are of kind apperr.Invalid.
func Parse(data []byte) (*Definition, error) {
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	if err := d.Check(); err != nil {
		return nil, err
	}
	return d, nil
}

// ParseDraft is Parse for a definition being built: it checks with CheckDraft.
func ParseDraft(data []byte) (*Definition, error) {
	d, err := decode(data)
	if err != nil {
		return nil, err
	}
	if err := d.CheckDraft(); err != nil {
		return nil, err
	}
	return d, nil
}

func decode(data []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		return nil, apperr.Wrap(apperr.Invalid, ErrJSON.Key, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, apperr.Wrap(apperr.Invalid, ErrJSON.Key, errors.New("form: data after the definition"))
	}
	if d.Steps == nil {
		d.Steps = []Step{}
	}
	return &d, nil
}

// JSON encodes the definition as indented JSON, for export and for storage with an e-service
// version. Parse reads it back to an equal definition.
func (d *Definition) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
