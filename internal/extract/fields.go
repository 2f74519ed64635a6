package extract

import (
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Object is one kind of object of the document's format, with its fields. The format page
// describes each object and field from the message catalogue ("rights.format.<object>" and
// "rights.format.<object>.<field>"); a test checks that each has its description in every
// language, so the description cannot fall behind the format.
type Object struct {
	Name   string // e.g. "case"
	Fields []Field
}

// Field is one field of an object.
type Field struct {
	Name string // as in the JSON, e.g. "submitted_at"
	Type string // string, number, boolean, time, uuid, map, object or list
	Of   string // the object (for object and list of objects) or the type of a list's items
	Null bool   // may be null
}

// Key is the object's key in the message catalogue.
func (o Object) Key() string { return "rights.format." + o.Name }

// Key is the field's key in the message catalogue.
func (o Object) FieldKey(f Field) string { return o.Key() + "." + f.Name }

// Objects lists the objects of Document, the document first, each once, read from the Go types'
// JSON tags.
func Objects() []Object {
	var out []Object
	seen := map[reflect.Type]bool{}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		o := Object{Name: objectName(t)}
		var nested []reflect.Type
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			ft := sf.Type
			f := Field{Name: name}
			if ft.Kind() == reflect.Pointer {
				f.Null, ft = true, ft.Elem()
			}
			f.Type, f.Of = typeName(ft)
			if ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if isObject(ft) {
				nested = append(nested, ft)
			}
			o.Fields = append(o.Fields, f)
		}
		out = append(out, o)
		for _, n := range nested {
			visit(n)
		}
	}
	visit(reflect.TypeOf(Document{}))
	return out
}

var (
	timeType = reflect.TypeOf(time.Time{})
	uuidType = reflect.TypeOf(uuid.UUID{})
)

func isObject(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != timeType && t != uuidType
}

// objectName is a type's name in snake case: StaffRead is staff_read.
func objectName(t reflect.Type) string {
	var b strings.Builder
	for i, r := range t.Name() {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return strings.ReplaceAll(b.String(), "e_service", "eservice")
}

func typeName(t reflect.Type) (typ, of string) {
	switch {
	case t == timeType:
		return "time", ""
	case t == uuidType:
		return "uuid", ""
	case isObject(t):
		return "object", objectName(t)
	}
	switch t.Kind() {
	case reflect.String:
		return "string", ""
	case reflect.Int, reflect.Int64:
		return "number", ""
	case reflect.Bool:
		return "boolean", ""
	case reflect.Map:
		return "map", "list of string"
	case reflect.Slice:
		item, of := typeName(t.Elem())
		if item == "object" {
			return "list", of
		}
		return "list", item
	}
	return t.Kind().String(), ""
}
