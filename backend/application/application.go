// Package application signs the data a municipal e-application system hands
// over (seed 002: the citizen's signature over application data goes back,
// with the signing certificate, to the service that asked for it): a JSON
// or XML document, any other file, or a set of files.
//
// The response is one file, an enveloping CMS SignedData (.p7m) signed with
// the card's signing certificate, whose content is a manifest in RFC 8785
// canonical JSON:
//
//	{"files":[{"media_type":"application/json","name":"申請/form.json",
//	           "sha256":"…","size":1234}, …],
//	 "format":"shomei-application-response/1","signed_at":"2025-04-01T01:02:03Z"}
//
// Files are listed by name (a file's base name; for a folder, the folder's
// name, a slash and the path inside it) in byte order of their UTF-8 names.
// The system checks the response with any CMS verifier (openssl cms
// -verify outputs the manifest) and then compares each file it handed over
// with the manifest's SHA-256 (sha256sum). Nothing of the person's data is
// in the manifest beyond names and hashes: the data itself stays with the
// system that already has it.
package application

// Format is the manifest's format identifier.
const Format = "shomei-application-response/1"

// Limits.
const (
	MaxFiles   = 10000
	MaxPreview = 10 << 20 // JSON/XML files larger than this are checked and hashed but not summarised
)

// Entry is one file in the manifest.
type Entry struct {
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	MediaType string `json:"media_type"`
}

// Manifest is the signed content.
type Manifest struct {
	Format   string  `json:"format"`
	SignedAt string  `json:"signed_at"`
	Files    []Entry `json:"files"`
}

// File is one input: its manifest entry, where it is, and what a person is
// shown of it.
type File struct {
	Entry
	Path    string  `json:"path"`
	Preview []Field `json:"preview,omitempty"`
	More    bool    `json:"preview_more,omitempty"` // the document has more values than Preview shows
}

// Field is one value of a JSON or XML document, by its path.
type Field struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// Application is the set of files to sign.
type Application struct {
	Files []File `json:"files"`
}
