package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	texttemplate "text/template"

	"github.com/authd-dev/authd/ports"
)

//go:embed templates/*
var embedded embed.FS

// kinds are the mails authd sends, each with three templates:
// <kind>.subject.txt, <kind>.txt and <kind>.html.
var kinds = []ports.MailKind{ports.MailVerifyEmail, ports.MailResetPassword}

// sample is what every template is tried with at load, so a template that
// fails to run, or forgets the link, is a start-up error and not a lost mail.
var sample = fields{Email: "someone@example.com", Link: "https://example.com/#token=sample-link", Lifetime: "30 minutes"}

// fields is what a template can show.
type fields struct {
	Email    string // the recipient
	Link     string // the URL with the one-time token
	Lifetime string // how long the link works, in words ("24 hours")
}

// rendered is one mail's words.
type rendered struct{ Subject, Text, HTML string }

type kindTemplates struct {
	subject, text *texttemplate.Template
	html          *htmltemplate.Template
	files         map[string]string // template name to the file it came from
}

// source is where one template is read from.
type source struct {
	fsys fs.FS
	path string // for errors: the override file, or the embedded name
}

// Templates renders account mails. It is safe for concurrent use.
type Templates struct {
	byKind map[ports.MailKind]kindTemplates
}

// LoadTemplates parses the embedded templates. When dir is not empty, a
// file there named like an embedded one (verify.subject.txt, verify.txt,
// verify.html, reset.subject.txt, reset.txt, reset.html) replaces it. A
// missing folder, a .txt or .html file with another name, a template that
// fails to parse or to run, or a body without {{.Link}} is an error naming
// the file.
func LoadTemplates(dir string) (*Templates, error) {
	sources, err := templateSources(dir)
	if err != nil {
		return nil, err
	}
	t := &Templates{byKind: make(map[ports.MailKind]kindTemplates, len(kinds))}
	for _, k := range kinds {
		kt, err := parseKind(k, sources)
		if err != nil {
			return nil, err
		}
		t.byKind[k] = kt
	}
	return t, nil
}

// templateSources maps each template name to where it is read from.
func templateSources(dir string) (map[string]source, error) {
	sub, err := fs.Sub(embedded, "templates")
	if err != nil {
		return nil, fmt.Errorf("mail templates: %w", err)
	}
	sources := make(map[string]source)
	for _, name := range templateNames() {
		sources[name] = source{fsys: sub, path: "embedded " + name}
	}
	if dir == "" {
		return sources, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("mail templates folder: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if _, known := sources[name]; known && e.Type().IsRegular() {
			sources[name] = source{fsys: os.DirFS(dir), path: filepath.Join(dir, name)}
			continue
		}
		if ext := filepath.Ext(name); ext == ".txt" || ext == ".html" {
			return nil, fmt.Errorf("mail template %s: not a template name authd uses (%s)",
				filepath.Join(dir, name), strings.Join(templateNames(), ", "))
		}
	}
	return sources, nil
}

func templateNames() []string {
	var names []string
	for _, k := range kinds {
		names = append(names, string(k)+".subject.txt", string(k)+".txt", string(k)+".html")
	}
	return names
}

func parseKind(k ports.MailKind, sources map[string]source) (kindTemplates, error) {
	subject, text, html := string(k)+".subject.txt", string(k)+".txt", string(k)+".html"
	kt := kindTemplates{files: map[string]string{
		subject: sources[subject].path, text: sources[text].path, html: sources[html].path,
	}}
	var err error
	if kt.subject, err = texttemplate.ParseFS(sources[subject].fsys, subject); err != nil {
		return kt, fmt.Errorf("mail template %s: %w", kt.files[subject], err)
	}
	if kt.text, err = texttemplate.ParseFS(sources[text].fsys, text); err != nil {
		return kt, fmt.Errorf("mail template %s: %w", kt.files[text], err)
	}
	if kt.html, err = htmltemplate.ParseFS(sources[html].fsys, html); err != nil {
		return kt, fmt.Errorf("mail template %s: %w", kt.files[html], err)
	}
	r, err := kt.render(sample)
	if err != nil {
		return kt, err
	}
	for name, body := range map[string]string{text: r.Text, html: r.HTML} {
		if !strings.Contains(body, sample.Link) {
			return kt, fmt.Errorf("mail template %s: the body never shows the link {{.Link}}", kt.files[name])
		}
	}
	return kt, nil
}

// errSubjectLine refuses a subject that is empty or holds a line break,
// which would end the header early.
var errSubjectLine = errors.New("the subject must be one non-empty line")

func (kt kindTemplates) render(f fields) (rendered, error) {
	var subject, text, html bytes.Buffer
	if err := kt.subject.Execute(&subject, f); err != nil {
		return rendered{}, fmt.Errorf("mail template %s: %w", kt.files[kt.subject.Name()], err)
	}
	if err := kt.text.Execute(&text, f); err != nil {
		return rendered{}, fmt.Errorf("mail template %s: %w", kt.files[kt.text.Name()], err)
	}
	if err := kt.html.Execute(&html, f); err != nil {
		return rendered{}, fmt.Errorf("mail template %s: %w", kt.files[kt.html.Name()], err)
	}
	s := strings.TrimSpace(subject.String())
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return rendered{}, fmt.Errorf("mail template %s: %w", kt.files[kt.subject.Name()], errSubjectLine)
	}
	return rendered{Subject: s, Text: text.String(), HTML: html.String()}, nil
}

// render returns the words of m; an unknown kind is an error.
func (t *Templates) render(m ports.Mail) (rendered, error) {
	kt, ok := t.byKind[m.Kind]
	if !ok {
		return rendered{}, fmt.Errorf("mail: unknown kind %q", m.Kind)
	}
	return kt.render(fields{Email: m.To.String(), Link: m.Link, Lifetime: lifetime(m.Lifetime)})
}
