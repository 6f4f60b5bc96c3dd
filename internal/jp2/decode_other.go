//go:build !cgo || windows

package jp2

import "image"

func decode([]byte) (image.Image, error) { return nil, ErrUnsupported }
