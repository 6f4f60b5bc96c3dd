package pades

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/digitorus/pdf"
)

// update is the incremental update being built.
type update struct {
	buf     bytes.Buffer
	base    int64            // file offset of buf[0]
	offsets map[uint32]int64 // object -> file offset
	next    uint32
}

func (u *update) alloc() uint32 { id := u.next; u.next++; return id }

func (u *update) begin(id uint32, gen uint16) {
	u.offsets[id] = u.base + int64(u.buf.Len())
	fmt.Fprintf(&u.buf, "%d %d obj\n", id, gen)
}

func (u *update) end() { u.buf.WriteString("\nendobj\n") }

// newUpdate starts the incremental update after the file's last byte, on a
// fresh line even if the file does not end with one.
func (d *Doc) newUpdate(trailer pdf.Value) (*update, error) {
	size := trailer.Key("Size").Int64()
	if size <= 0 || size > 1<<31 {
		return nil, fmt.Errorf("%w: bad /Size", ErrNotPDF)
	}
	u := &update{base: d.size, offsets: map[uint32]int64{}, next: uint32(size)}
	last := make([]byte, 1)
	if _, err := d.f.ReadAt(last, d.size-1); err != nil {
		return nil, err
	}
	if last[0] != '\n' && last[0] != '\r' {
		u.buf.WriteByte('\n')
	}
	return u, nil
}

// freeFieldName is the first of Signature1, Signature2, … not in use.
func freeFieldName(names map[string]bool) string {
	for i := 1; ; i++ {
		if n := fmt.Sprintf("Signature%d", i); !names[n] {
			return n
		}
	}
}

const byteRangePlaceholder = "[0 0000000000 0000000000 0000000000]"

// sigDict says where, inside the update, the placeholders of the signature
// dictionary lie.
type sigDict struct {
	byteRangeAt, contentsAt, contentsN int
}

// writeSigDict writes the signature dictionary with a zero-filled /Contents
// and a placeholder /ByteRange.
func (u *update) writeSigDict(id uint32, opt Options, certLen int) (sigDict, error) {
	sub := opt.SubFilter
	switch sub {
	case "":
		sub = SubFilterPAdES
	case SubFilterPAdES, SubFilterPKCS7:
	default:
		return sigDict{}, fmt.Errorf("unknown SubFilter %q", sub)
	}
	var sd sigDict
	u.begin(id, 0)
	b := &u.buf
	b.WriteString("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /" + sub)
	b.WriteString(" /ByteRange ")
	sd.byteRangeAt = b.Len()
	b.WriteString(byteRangePlaceholder)
	b.WriteString(" /Contents ")
	sd.contentsAt = b.Len()
	sd.contentsN = 2 * contentsSize(certLen, opt.TimestampSpace)
	b.WriteByte('<')
	b.WriteString(strings.Repeat("0", sd.contentsN))
	b.WriteByte('>')
	fmt.Fprintf(b, " /M %s", pdfDate(opt.Time))
	for _, kv := range [][2]string{{"Name", opt.Name}, {"Reason", opt.Reason}, {"Location", opt.Location}, {"ContactInfo", opt.ContactInfo}} {
		if kv[1] != "" {
			fmt.Fprintf(b, " /%s %s", kv[0], textString(kv[1]))
		}
	}
	if opt.Certify != Approval {
		fmt.Fprintf(b, " /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P %d /V /1.2 >> >>]", opt.Certify)
	}
	b.WriteString(" >>")
	u.end()
	return sd, nil
}

// writeField writes the signature field merged with its widget (with the
// stamp's appearance when visible) and returns its reference.
func (u *update) writeField(id, sigID uint32, name string, pageRef ref, vis *Stamp) (string, error) {
	rect := "[0 0 0 0]"
	var ap string
	if vis != nil {
		rect = fmt.Sprintf("[%s %s %s %s]", num(vis.X), num(vis.Y), num(vis.X+vis.W), num(vis.Y+vis.H))
		apID, err := u.writeAppearance(vis)
		if err != nil {
			return "", err
		}
		ap = fmt.Sprintf(" /AP << /N %d 0 R >>", apID)
	}
	u.begin(id, 0)
	fmt.Fprintf(&u.buf, "<< /Type /Annot /Subtype /Widget /FT /Sig /T %s /V %d 0 R /F 132 /P %s /Rect %s%s >>",
		textString(name), sigID, pageRef, rect, ap)
	u.end()
	return fmt.Sprintf("%d 0 R", id), nil
}

// addToPage puts the widget in the page's /Annots: a new version of the
// array object when it is one of its own, else of the page.
func (u *update) addToPage(page pdf.Value, pageRef ref, fieldRef string) error {
	annots := page.Key("Annots")
	if ar := refOf(annots); annots.Kind() == pdf.Array && ar.id != 0 && ar != pageRef {
		return u.rewriteArray(annots, ar, fieldRef)
	}
	var arr bytes.Buffer
	if err := writeArrayWith(&arr, annots, pageRef, fieldRef); err != nil {
		return fmt.Errorf("page: %w", err)
	}
	u.begin(pageRef.id, pageRef.gen)
	if err := writeDict(&u.buf, page, pageRef, 0, map[string]string{"Annots": arr.String()}); err != nil {
		return fmt.Errorf("page: %w", err)
	}
	u.end()
	return nil
}

// addToForm adds the field to the form's /Fields with /SigFlags 3. It
// returns what the catalog itself must change (a direct or a new
// /AcroForm), which the caller writes.
func (u *update) addToForm(root pdf.Value, rootRef ref, fieldRef string) (map[string]string, error) {
	catalogExtra := map[string]string{}
	acro := root.Key("AcroForm")
	acroRef := refOf(acro)
	acroIndirect := acro.Kind() == pdf.Dict && acroRef.id != 0 && acroRef != rootRef
	fields := acro.Key("Fields")
	fieldsExtra := map[string]string{"SigFlags": "3"}
	if fr := refOf(fields); fields.Kind() == pdf.Array && fr.id != 0 && fr != acroRef && fr != rootRef {
		if err := u.rewriteArray(fields, fr, fieldRef); err != nil {
			return nil, err
		}
	} else {
		container := rootRef
		if acroIndirect {
			container = acroRef
		}
		var arr bytes.Buffer
		if err := writeArrayWith(&arr, fields, container, fieldRef); err != nil {
			return nil, fmt.Errorf("form: %w", err)
		}
		fieldsExtra["Fields"] = arr.String()
	}
	switch {
	case acroIndirect:
		u.begin(acroRef.id, acroRef.gen)
		if err := writeDict(&u.buf, acro, acroRef, 0, fieldsExtra); err != nil {
			return nil, fmt.Errorf("form: %w", err)
		}
		u.end()
	case acro.Kind() == pdf.Dict:
		var acroDict bytes.Buffer
		if err := writeDict(&acroDict, acro, rootRef, 1, fieldsExtra); err != nil {
			return nil, fmt.Errorf("form: %w", err)
		}
		catalogExtra["AcroForm"] = acroDict.String()
	default:
		catalogExtra["AcroForm"] = fmt.Sprintf("<< /Fields [%s] /SigFlags 3 >>", fieldRef)
	}
	return catalogExtra, nil
}

// rewriteArray writes a new version of an indirect array with one element more.
func (u *update) rewriteArray(arr pdf.Value, r ref, add string) error {
	u.begin(r.id, r.gen)
	if err := writeArrayWith(&u.buf, arr, r, add); err != nil {
		return err
	}
	u.end()
	return nil
}

// writeArrayWith writes arr, its values as they stand inside the object
// container, with add at its end.
func writeArrayWith(b *bytes.Buffer, arr pdf.Value, container ref, add string) error {
	b.WriteByte('[')
	for i := 0; i < arr.Len(); i++ {
		if err := writeValue(b, arr.Index(i), container, 1); err != nil {
			return err
		}
		b.WriteByte(' ')
	}
	b.WriteString(add + "]")
	return nil
}

// writeXref appends a classic xref table or an xref stream covering the
// objects of this update, with a trailer pointing back at the previous one.
func (u *update) writeXref(trailer pdf.Value, root ref, prev int64, asStream bool) error {
	ids := make([]uint32, 0, len(u.offsets)+1)
	for id := range u.offsets {
		ids = append(ids, id)
	}
	var xrefID uint32
	if asStream {
		xrefID = u.alloc()
		ids = append(ids, xrefID)
	}
	slices.Sort(ids)
	size := int64(u.next)
	if s := trailer.Key("Size").Int64(); s > size {
		size = s
	}
	common := fmt.Sprintf("/Size %d /Root %s", size, root)
	if info := trailer.Key("Info"); refOf(info).id != 0 && info.Kind() == pdf.Dict {
		common += " /Info " + refOf(info).String()
	}
	var idb bytes.Buffer
	if id := trailer.Key("ID"); id.Kind() == pdf.Array && id.Len() == 2 {
		idb.WriteByte('[')
		writeHexString(&idb, []byte(id.Index(0).RawString()))
		writeHexString(&idb, []byte(id.Index(1).RawString()))
		idb.WriteByte(']')
	} else {
		h := sha256.Sum256(fmt.Appendf(nil, "%d %d", u.base, time.Now().UnixNano()))
		idb.WriteByte('[')
		writeHexString(&idb, h[:16])
		writeHexString(&idb, h[16:])
		idb.WriteByte(']')
	}
	common += " /ID " + idb.String() + fmt.Sprintf(" /Prev %d", prev)

	runs := runsOf(ids)
	b := &u.buf
	if !asStream {
		xrefAt := u.base + int64(b.Len())
		b.WriteString("xref\n")
		for _, run := range runs {
			fmt.Fprintf(b, "%d %d\n", run[0], len(run))
			for _, id := range run {
				fmt.Fprintf(b, "%010d 00000 n\r\n", u.offsets[id])
			}
		}
		fmt.Fprintf(b, "trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n", common, xrefAt)
		return nil
	}
	u.offsets[xrefID] = u.base + int64(b.Len())
	w := 4
	if u.offsets[xrefID] >= 1<<32 {
		w = 8
	}
	var rows bytes.Buffer
	var index []string
	for _, run := range runs {
		index = append(index, fmt.Sprintf("%d %d", run[0], len(run)))
		for _, id := range run {
			rows.WriteByte(1)
			off := u.offsets[id]
			for i := w - 1; i >= 0; i-- {
				rows.WriteByte(byte(off >> (8 * i)))
			}
			rows.Write([]byte{0, 0})
		}
	}
	fmt.Fprintf(b, "%d 0 obj\n<< /Type /XRef %s /W [1 %d 2] /Index [%s] /Length %d >>\nstream\n",
		xrefID, common, w, strings.Join(index, " "), rows.Len())
	b.Write(rows.Bytes())
	fmt.Fprintf(b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", u.offsets[xrefID])
	return nil
}

// runsOf splits sorted ids into runs of consecutive numbers.
func runsOf(ids []uint32) [][]uint32 {
	var runs [][]uint32
	for i, id := range ids {
		if i == 0 || id != ids[i-1]+1 {
			runs = append(runs, nil)
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], id)
	}
	return runs
}
