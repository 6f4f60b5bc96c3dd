//go:build cgo && !windows

package jp2

/*
#cgo pkg-config: libopenjp2
#include <openjpeg.h>
#include <stdlib.h>
#include <string.h>

typedef struct { const unsigned char *p; OPJ_SIZE_T n, off; } membuf;

static OPJ_SIZE_T mem_read(void *dst, OPJ_SIZE_T n, void *u) {
	membuf *m = (membuf *)u;
	if (m->off >= m->n) return (OPJ_SIZE_T)-1;
	if (n > m->n - m->off) n = m->n - m->off;
	memcpy(dst, m->p + m->off, n);
	m->off += n;
	return n;
}
static OPJ_OFF_T mem_skip(OPJ_OFF_T n, void *u) {
	membuf *m = (membuf *)u;
	if (n < 0) { if ((OPJ_SIZE_T)(-n) > m->off) n = -(OPJ_OFF_T)m->off; }
	else if ((OPJ_SIZE_T)n > m->n - m->off) n = (OPJ_OFF_T)(m->n - m->off);
	m->off += n;
	return n;
}
static OPJ_BOOL mem_seek(OPJ_OFF_T n, void *u) {
	membuf *m = (membuf *)u;
	if (n < 0 || (OPJ_SIZE_T)n > m->n) return OPJ_FALSE;
	m->off = (OPJ_SIZE_T)n;
	return OPJ_TRUE;
}
static void quiet(const char *msg, void *u) { (void)msg; (void)u; }

// decode returns 0 and the image, or a negative code. Header limits are
// checked before the pixels are decoded.
static int decode(const unsigned char *p, size_t n, int jp2, int maxside, opj_image_t **out) {
	membuf m = { p, n, 0 };
	opj_stream_t *s = opj_stream_create(4096, OPJ_TRUE);
	if (!s) return -1;
	opj_stream_set_user_data(s, &m, NULL);
	opj_stream_set_user_data_length(s, n);
	opj_stream_set_read_function(s, mem_read);
	opj_stream_set_skip_function(s, mem_skip);
	opj_stream_set_seek_function(s, mem_seek);
	opj_codec_t *c = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
	opj_set_info_handler(c, quiet, NULL);
	opj_set_warning_handler(c, quiet, NULL);
	opj_set_error_handler(c, quiet, NULL);
	opj_dparameters_t prm;
	opj_set_default_decoder_parameters(&prm);
	opj_image_t *img = NULL;
	int rc = 0;
	if (!opj_setup_decoder(c, &prm) || !opj_read_header(s, c, &img)) { rc = -2; goto done; }
	if (img->x1 - img->x0 > (OPJ_UINT32)maxside || img->y1 - img->y0 > (OPJ_UINT32)maxside || img->numcomps < 1 || img->numcomps > 4) { rc = -3; goto done; }
	if (!opj_decode(c, s, img) || !opj_end_decompress(c, s)) { rc = -4; goto done; }
done:
	opj_destroy_codec(c);
	opj_stream_destroy(s);
	if (rc != 0 && img) { opj_image_destroy(img); img = NULL; }
	*out = img;
	return rc;
}

static opj_image_comp_t *comp(opj_image_t *img, int i) { return &img->comps[i]; }
*/
import "C"

import (
	"fmt"
	"image"
	"image/color"
	"unsafe"
)

func decode(b []byte) (image.Image, error) {
	if len(b) < 12 {
		return nil, ErrInvalid
	}
	jp2 := b[4] == 'j' && b[5] == 'P'
	if !jp2 && !(b[0] == 0xFF && b[1] == 0x4F) {
		return nil, ErrInvalid
	}
	p := C.CBytes(b)
	defer C.free(p)
	var img *C.opj_image_t
	if rc := C.decode((*C.uchar)(p), C.size_t(len(b)), boolInt(jp2), C.int(MaxSide), &img); rc != 0 {
		return nil, fmt.Errorf("%w (OpenJPEG step %d)", ErrInvalid, -rc)
	}
	defer C.opj_image_destroy(img)
	n := int(img.numcomps)
	comps := make([]*C.opj_image_comp_t, n)
	for i := range comps {
		comps[i] = C.comp(img, C.int(i))
		c := comps[i]
		if c.dx != 1 || c.dy != 1 || c.data == nil || c.prec < 1 || c.prec > 16 {
			return nil, fmt.Errorf("%w (component %d: subsampled or empty)", ErrInvalid, i)
		}
	}
	w, h := int(comps[0].w), int(comps[0].h)
	for _, c := range comps {
		if int(c.w) != w || int(c.h) != h {
			return nil, fmt.Errorf("%w (components of different sizes)", ErrInvalid)
		}
	}
	px := func(c *C.opj_image_comp_t, i int) uint8 {
		v := int32(*(*C.OPJ_INT32)(unsafe.Add(unsafe.Pointer(c.data), uintptr(i)*4)))
		if c.sgnd != 0 {
			v += 1 << (c.prec - 1)
		}
		if c.prec > 8 {
			v >>= c.prec - 8
		} else if c.prec < 8 {
			v <<= 8 - c.prec
		}
		return uint8(max(0, min(255, v)))
	}
	if n < 3 {
		out := image.NewGray(image.Rect(0, 0, w, h))
		for i := 0; i < w*h; i++ {
			out.Pix[i] = px(comps[0], i)
		}
		return out, nil
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		out.SetRGBA(i%w, i/w, color.RGBA{px(comps[0], i), px(comps[1], i), px(comps[2], i), 255})
	}
	return out, nil
}

func boolInt(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
