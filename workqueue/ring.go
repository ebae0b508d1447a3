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
}

// peek returns the first live entry, discarding stale slots before it. The
// ring must hold a live entry.
func (l *level[T]) peek() *entry[T] {
	for {
		s := l.buf[l.head]
		if s.e.seq == s.seq && s.e.lvl == l && s.e.flags&flagInRing != 0 {
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

// reset empties the ring, releasing stale slots; large buffers shrink.
func (l *level[T]) reset() {
	if len(l.buf) > 1024 {
		l.buf = make([]slot[T], 16)
	} else {
		clear(l.buf)
	}
	l.head, l.n = 0, 0
}
