package record

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"
	"golang.org/x/time/rate"

	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/runtime"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/internal/clock"
	"github.com/cellkit/cellkit/store"
)

// Defaults of Options.
const (
	DefaultQueueSize = 1000
	// DefaultBurst and DefaultRefill are the per-object rate limit: 25 events at once, then
	// one every 5 minutes (client-go's spam filter).
	DefaultBurst  = 25
	DefaultRefill = 5 * time.Minute
	// DefaultCacheSize bounds the events remembered for aggregation and the per-object limits.
	DefaultCacheSize = 4096
)

// Events is the resource of core/v1 Events.
var Events = schema.GroupResource{Resource: "events"}

// ErrInvalidOptions is wrapped by every error about invalid options.
var ErrInvalidOptions = errors.New("invalid event recorder options")

// Client writes Events. Every store's typed view of Events satisfies it (see ForStore).
type Client interface {
	Create(ctx context.Context, obj *corev1.Event) (*corev1.Event, error)
	Get(ctx context.Context, namespace, name string, opts store.GetOptions) (*corev1.Event, error)
	Update(ctx context.Context, obj *corev1.Event) (*corev1.Event, error)
}

var _ Client = store.Typed[*corev1.Event]{}

// ForStore returns the Client of the Events of s.
func ForStore(s store.Interface) Client { return store.For[*corev1.Event](s, Events) }

// Options configure a Recorder.
type Options struct {
	// Client writes the events. Required.
	Client Client
	// Scheme gives the kind and apiVersion of the objects events are about. Required.
	Scheme *runtime.Scheme
	// Component names the reporter (source.component and reportingComponent); Host the
	// instance (source.host and reportingInstance). Component is required.
	Component, Host string
	// QueueSize is how many events may wait to be written; when the queue is full, Event
	// drops the event (counted in Stats.Dropped) instead of blocking. Default
	// DefaultQueueSize.
	QueueSize int
	// Burst and Refill rate-limit the events of one object: Burst at once, then one per
	// Refill. Defaults DefaultBurst and DefaultRefill.
	Burst  int
	Refill time.Duration
	// CacheSize bounds the aggregation cache and the per-object limiters. Default
	// DefaultCacheSize.
	CacheSize int
	// Clock is the time source of timestamps and the rate limit. Nil means the real clock.
	Clock interface{ Now() time.Time }
	// Logger receives failed writes at V(2). Default discard.
	Logger logr.Logger
}

// Stats counts what happened to the events given to a Recorder.
type Stats struct {
	// Written is the number of Event objects created; Aggregated the number of repeats that
	// updated an existing Event instead.
	Written, Aggregated int64
	// Dropped counts events refused because the queue was full; RateLimited those refused by
	// the per-object limit; Failed those whose write failed.
	Dropped, RateLimited, Failed int64
}

// Recorder writes core/v1 Events about objects. Event never blocks; Run writes the events.
type Recorder struct {
	opts  Options
	clock interface{ Now() time.Time }
	log   logr.Logger
	queue chan *corev1.Event

	mu        sync.Mutex
	limiters  map[string]*rate.Limiter
	lastStamp int64

	// Used by Run's goroutine only.
	seen map[aggKey]seenEvent

	written, aggregated, dropped, rateLimited, failed atomic.Int64

	// afterWrite, when set (by tests), is called after each event was handled by Run.
	afterWrite func()
}

type aggKey struct {
	ref                                   corev1.ObjectReference
	typ, reason, message, component, host string
}

type seenEvent struct {
	namespace, name string
}

// New validates opts and returns a recorder.
func New(opts Options) (*Recorder, error) {
	var problems []error
	if opts.Client == nil {
		problems = append(problems, errors.New("client is required"))
	}
	if opts.Scheme == nil {
		problems = append(problems, errors.New("scheme is required"))
	}
	if opts.Component == "" {
		problems = append(problems, errors.New("component is required"))
	}
	if opts.QueueSize < 0 || opts.Burst < 0 || opts.Refill < 0 || opts.CacheSize < 0 {
		problems = append(problems, errors.New("queue size, burst, refill and cache size must not be negative"))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("new event recorder: %w: %w", ErrInvalidOptions, errors.Join(problems...))
	}
	if opts.QueueSize == 0 {
		opts.QueueSize = DefaultQueueSize
	}
	if opts.Burst == 0 {
		opts.Burst = DefaultBurst
	}
	if opts.Refill == 0 {
		opts.Refill = DefaultRefill
	}
	if opts.CacheSize == 0 {
		opts.CacheSize = DefaultCacheSize
	}
	r := &Recorder{opts: opts, clock: opts.Clock, log: opts.Logger, queue: make(chan *corev1.Event, opts.QueueSize),
		limiters: map[string]*rate.Limiter{}, seen: map[aggKey]seenEvent{}}
	if r.clock == nil {
		r.clock = clock.Real()
	}
	if r.log.GetSink() == nil {
		r.log = logr.Discard()
	}
	return r, nil
}

// Stats returns the counts so far.
func (r *Recorder) Stats() Stats {
	return Stats{Written: r.written.Load(), Aggregated: r.aggregated.Load(), Dropped: r.dropped.Load(),
		RateLimited: r.rateLimited.Load(), Failed: r.failed.Load()}
}

// Event records an event of type eventType (corev1.EventTypeNormal or EventTypeWarning) about
// obj. It never blocks: an event over the object's rate limit, or that finds the queue full,
// is dropped and counted.
func (r *Recorder) Event(obj runtime.MetaObject, eventType, reason, message string) {
	now := r.clock.Now()
	ref := r.reference(obj)
	key := ref.Kind + "/" + ref.Namespace + "/" + ref.Name + "/" + string(ref.UID)
	r.mu.Lock()
	l := r.limiters[key]
	if l == nil {
		if len(r.limiters) >= r.opts.CacheSize {
			for k := range r.limiters { // evict one arbitrary entry
				delete(r.limiters, k)
				break
			}
		}
		l = rate.NewLimiter(rate.Every(r.opts.Refill), r.opts.Burst)
		r.limiters[key] = l
	}
	ok := l.AllowN(now, 1)
	// Names are <object>.<hex nanoseconds>, unique per recorder even when the clock does
	// not move between two events.
	stamp := now.UnixNano()
	if stamp <= r.lastStamp {
		stamp = r.lastStamp + 1
	}
	if ok {
		r.lastStamp = stamp
	}
	r.mu.Unlock()
	if !ok {
		r.rateLimited.Add(1)
		return
	}
	ns := ref.Namespace
	if ns == "" {
		ns = corev1.NamespaceDefault
	}
	ev := &corev1.Event{
		ObjectMeta:          meta.ObjectMeta{Namespace: ns, Name: ref.Name + "." + strconv.FormatInt(stamp, 16)},
		InvolvedObject:      ref,
		Reason:              reason,
		Message:             message,
		Type:                eventType,
		Source:              corev1.EventSource{Component: r.opts.Component, Host: r.opts.Host},
		FirstTimestamp:      meta.NewTime(now),
		LastTimestamp:       meta.NewTime(now),
		Count:               1,
		ReportingController: r.opts.Component,
		ReportingInstance:   r.opts.Host,
	}
	select {
	case r.queue <- ev:
	default:
		r.dropped.Add(1)
	}
}

// Eventf is Event with a formatted message.
func (r *Recorder) Eventf(obj runtime.MetaObject, eventType, reason, format string, args ...any) {
	r.Event(obj, eventType, reason, fmt.Sprintf(format, args...))
}

func (r *Recorder) reference(obj runtime.MetaObject) corev1.ObjectReference {
	m := obj.GetObjectMeta()
	ref := corev1.ObjectReference{Namespace: m.Namespace, Name: m.Name, UID: m.UID, ResourceVersion: m.ResourceVersion}
	if gvk, err := r.opts.Scheme.ObjectKind(obj); err == nil {
		ref.APIVersion, ref.Kind = gvk.GroupVersion().String(), gvk.Kind
	}
	return ref
}

// Run writes queued events until ctx is done, then returns nil (events still queued are
// dropped). A repeat of an event already written (same object, type, reason, message and
// source) updates that Event's count and lastTimestamp instead of creating another.
func (r *Recorder) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-r.queue:
			r.write(ctx, ev)
			if r.afterWrite != nil {
				r.afterWrite()
			}
		}
	}
}

func (r *Recorder) write(ctx context.Context, ev *corev1.Event) {
	ref := ev.InvolvedObject
	ref.ResourceVersion = "" // repeats about later versions of the object aggregate too
	key := aggKey{ref: ref, typ: ev.Type, reason: ev.Reason, message: ev.Message, component: ev.Source.Component, host: ev.Source.Host}
	if prev, ok := r.seen[key]; ok {
		for range 3 { // conflicts: re-read and retry
			cur, err := r.opts.Client.Get(ctx, prev.namespace, prev.name, store.GetOptions{})
			if apierrors.IsNotFound(err) {
				break // gone (expired or deleted): create a new one
			}
			if err != nil {
				r.fail(err, ev)
				return
			}
			cur.Count++
			cur.LastTimestamp = ev.LastTimestamp
			_, err = r.opts.Client.Update(ctx, cur)
			if err == nil {
				r.aggregated.Add(1)
				return
			}
			if apierrors.IsNotFound(err) {
				break
			}
			if !apierrors.IsConflict(err) {
				r.fail(err, ev)
				return
			}
		}
		delete(r.seen, key)
	}
	created, err := r.opts.Client.Create(ctx, ev)
	if err != nil {
		r.fail(err, ev)
		return
	}
	r.written.Add(1)
	if len(r.seen) >= r.opts.CacheSize {
		for k := range r.seen {
			delete(r.seen, k)
			break
		}
	}
	r.seen[key] = seenEvent{namespace: created.Namespace, name: created.Name}
}

func (r *Recorder) fail(err error, ev *corev1.Event) {
	r.failed.Add(1)
	r.log.V(2).Info("writing event failed", "err", err.Error(), "reason", ev.Reason, "object", ev.InvolvedObject.Name)
}
