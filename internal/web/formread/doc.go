// Package formread reads the posted forms of the e-service builder's form editor into the form
// package's types, and writes steps and fields back into their forms: the names of the inputs,
// how numbers, options and texts are typed, and which input a problem of the definition is at.
// It knows the editor's forms, not how they are shown.
package formread
