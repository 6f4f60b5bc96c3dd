//go:build !linux

package pades

import (
	"errors"
	"os"
)

// Elsewhere the copy goes through the page cache.

var errDirectRefused = errors.New("no direct I/O")

func setDirect(*os.File) bool               { return false }
func clearDirect(*os.File)                  {}
func startWriteback(*os.File, int64, int64) {}
