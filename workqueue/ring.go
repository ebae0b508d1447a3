package workqueue

func (l *level[T]) push(s slot[T]) {
	if l.n == len(l.buf) {
		buf := make([]slot[T], 2*len(l.buf))
		mask := len(l.buf) - 1
		for i := 0; i < l.n; i++ {
			buf[i] = l.buf[(l.head+i)&mask]
		}
		l.buf, l.head = buf, 0
	}
	l.buf[(l.head+l.n)&(len(l.buf)-1)] = s
	l.n++
	l.peak = max(l.peak, l.n)
}

// peek returns the first live entry, discarding stale slots before it. The
// ring must hold a live entry.
func (l *level[T]) peek() *entry[T] {
	for {
		s := l.buf[l.head]
		// seq changes on every push, so a slot whose seq is current is
		// the entry's one live slot (in this ring).
		if s.e.seq == s.seq && s.e.flags&flagInRing != 0 {
			return s.e
		}
		l.drop()
	}
}

// pop removes and returns the first live entry.
func (l *level[T]) pop() *entry[T] {
	e := l.peek()
	l.drop()
	return e
}

func (l *level[T]) drop() {
	l.buf[l.head] = slot[T]{}
	l.head = (l.head + 1) & (len(l.buf) - 1)
	l.n--
}

// reset empties the ring of a level with no live entry, releasing its
// stale slots (popped slots are already zero). A large buffer is kept when
// the last fill used a quarter of it or more, so a queue that repeatedly
// fills up and drains does not regrow it every time, and shrinks to twice
// the last fill otherwise, so a one-off burst does not pin memory.
func (l *level[T]) reset() {
	mask := len(l.buf) - 1
	for i := 0; i < l.n; i++ {
		l.buf[(l.head+i)&mask] = slot[T]{}
	}
	if len(l.buf) > 1024 && l.peak < len(l.buf)/4 {
		size := 16
		for size < 2*l.peak {
			size *= 2
		}
		l.buf = make([]slot[T], size)
	}
	l.head, l.n, l.peak = 0, 0, 0
}

// live reports whether the idle entry s names is still idle in the same
// spell (not revived and not freed since).
func (s idleSlot[T]) live() bool {
	return s.e.flags == 0 && s.e.heapIdx < 0 && s.e.idleGen == s.gen
}

// idleRing is the FIFO of idle slots. A ring, unlike a slice sliced from the
// front and appended to, reuses its buffer instead of reallocating it every
// few thousand finished items.
type idleRing[T comparable] struct {
	buf  []idleSlot[T] // len is zero or a power of two
	head int
	n    int
}

func (r *idleRing[T]) push(s idleSlot[T]) {
	if r.n == len(r.buf) {
		buf := make([]idleSlot[T], max(16, 2*len(r.buf)))
		for i := 0; i < r.n; i++ {
			buf[i] = r.buf[(r.head+i)&(len(r.buf)-1)]
		}
		r.buf, r.head = buf, 0
	}
	r.buf[(r.head+r.n)&(len(r.buf)-1)] = s
	r.n++
}

// pop removes and returns the oldest slot; the ring must not be empty.
func (r *idleRing[T]) pop() idleSlot[T] {
	s := r.buf[r.head]
	r.buf[r.head] = idleSlot[T]{}
	r.head = (r.head + 1) & (len(r.buf) - 1)
	r.n--
	return s
}

// dropNewest removes the newest slot if it names e in idle spell gen.
func (r *idleRing[T]) dropNewest(e *entry[T], gen uint32) {
	if r.n == 0 {
		return
	}
	i := (r.head + r.n - 1) & (len(r.buf) - 1)
	if s := r.buf[i]; s.e == e && s.gen == gen {
		r.buf[i] = idleSlot[T]{}
		r.n--
	}
}

// compact drops the stale slots, keeping the live ones in order.
func (r *idleRing[T]) compact() {
	mask := len(r.buf) - 1
	w := 0
	for i := 0; i < r.n; i++ {
		s := r.buf[(r.head+i)&mask]
		if s.live() {
			r.buf[(r.head+w)&mask] = s
			w++
		}
	}
	for i := w; i < r.n; i++ {
		r.buf[(r.head+i)&mask] = idleSlot[T]{}
	}
	r.n = w
}
