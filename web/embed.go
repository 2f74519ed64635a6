// Package web embeds the static assets (CSS, small progressive-enhancement scripts, images) and
// names each with a content hash, so that browsers may cache them for a long time.
package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

//go:embed static
var files embed.FS

// Static is the asset tree, rooted at the static folder.
var Static, _ = fs.Sub(files, "static")

var versions = func() map[string]string {
	m := map[string]string{}
	fs.WalkDir(Static, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(Static, path)
		sum := sha256.Sum256(b)
		m[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return m
}()

// Asset returns the address of a static file with its content version, e.g.
// /static/app.css?v=1a2b3c4d5e6f. It panics on a file that does not exist: that is a bug.
func Asset(name string) string {
	v, ok := versions[name]
	if !ok {
		panic("web: no static asset " + name)
	}
	return "/static/" + name + "?v=" + v
}
