package pades

import "golang.org/x/image/font/sfnt"

type sfntBuffer struct{ b sfnt.Buffer }
