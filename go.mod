module github.com/shomei-app/shomei

go 1.27.0

toolchain go1.27.4

require (
	github.com/ebfe/scard v0.0.0-20241214075232-7af069cabc25
	golang.org/x/sys v0.39.0
	golang.org/x/term v0.38.0
)

require github.com/digitorus/pdf v0.2.0 // indirect
