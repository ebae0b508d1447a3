package field

import (
	"strconv"
	"strings"
)

// Path is the location of a field inside an object, built from the root down:
//
//	field.NewPath("spec").Child("containers").Index(0).Child("image")
//
// prints as "spec.containers[0].image". A Path is immutable: Child, Index and Key return a new
// Path that shares its parent, so one parent may be extended many times and from many goroutines.
// The nil *Path is the empty path and prints as "".
type Path struct {
	parent *Path
	name   string // set for named segments
	index  string // set for subscripts ("0" for Index(0), "app" for Key("app"))
	sub    bool   // true when this segment is a subscript
}

// NewPath returns the path of the root field name followed by the named children moreNames.
func NewPath(name string, moreNames ...string) *Path {
	p := &Path{name: name}
	for _, n := range moreNames {
		p = &Path{parent: p, name: n}
	}
	return p
}

// Root returns the first segment of p (the path p was built from with NewPath). It returns nil
// for the nil path.
func (p *Path) Root() *Path {
	for p != nil && p.parent != nil {
		p = p.parent
	}
	return p
}

// Child returns the path of the named field name (and then moreNames) under p.
func (p *Path) Child(name string, moreNames ...string) *Path {
	c := &Path{parent: p, name: name}
	for _, n := range moreNames {
		c = &Path{parent: c, name: n}
	}
	return c
}

// Index returns the path of element i of the list at p; it prints as "p[i]".
func (p *Path) Index(i int) *Path {
	return &Path{parent: p, index: strconv.Itoa(i), sub: true}
}

// Key returns the path of the entry key of the map at p; it prints as "p[key]", unquoted, as
// Kubernetes prints it ("metadata.labels[app]").
func (p *Path) Key(key string) *Path {
	return &Path{parent: p, index: key, sub: true}
}

// String renders the path: named segments joined by ".", subscripts in brackets.
func (p *Path) String() string {
	if p == nil {
		return ""
	}
	// Collect the segments root first without recursion.
	n := 0
	size := 0
	for q := p; q != nil; q = q.parent {
		n++
		size += len(q.name) + len(q.index) + 2
	}
	segs := make([]*Path, n)
	for q := p; q != nil; q = q.parent {
		n--
		segs[n] = q
	}
	var b strings.Builder
	b.Grow(size)
	for i, s := range segs {
		if s.sub {
			b.WriteByte('[')
			b.WriteString(s.index)
			b.WriteByte(']')
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}
