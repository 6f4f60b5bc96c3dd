module github.com/shomei-app/shomei

go 1.27.0

toolchain go1.27.4

require github.com/ebfe/scard v0.0.0-20241214075232-7af069cabc25 // indirect
