module github.com/shomei-app/shomei

go 1.27.0

toolchain go1.27.4

require (
	github.com/digitorus/pdf v0.2.0
	github.com/digitorus/pdfsign v1.0.0-rc2
	github.com/digitorus/timestamp v0.0.0-20250524132541-c45532741eea
	github.com/ebfe/scard v0.0.0-20241214075232-7af069cabc25
	golang.org/x/image v0.45.0
	golang.org/x/sys v0.47.0
	golang.org/x/term v0.45.0
)

require (
	github.com/digitorus/pkcs7 v0.0.0-20260821105541-05f79448fa77 // indirect
	github.com/mattetti/filebuffer v1.0.1 // indirect
	golang.org/x/crypto v0.55.0 // indirect
	golang.org/x/text v0.41.0 // indirect
)
