package store

import (
	"strconv"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/fields"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/apimachinery/validation/field"
)

// The functions of this file translate between the query parameters of the Kubernetes API
// (meta.GetOptions, meta.ListOptions) and the store's options, with Kubernetes' rules: the REST
// server parses requests with them and a REST client builds requests with the Meta methods.
//
// resourceVersion semantics, as the Kubernetes API documents them:
//
//	get:   ""  latest; "0" any; "N" not older than N.
//	list:  ""  latest; "0" any; "N" not older than N, or exactly N when limit is set
//	       (legacy pagination) or resourceVersionMatch=Exact.
//	watch: ""  and "0" send the current state first (synthetic ADDED events), then changes;
//	       "N" the changes after N; sendInitialEvents=true (with resourceVersionMatch=
//	       NotOlderThan and allowWatchBookmarks=true) the state at or after N, ended by an
//	       annotated bookmark, then changes.

var listOptionsKind = schema.GroupKind{Group: "meta.k8s.io", Kind: "ListOptions"}

func invalidOptions(errs field.ErrorList) error {
	return apierrors.NewInvalid(listOptionsKind, "", errs)
}

// parseRV parses a resourceVersion query parameter: "" and "0" are 0.
func parseRV(rv string) (int64, error) {
	if rv == "" || rv == "0" {
		return 0, nil
	}
	n, err := strconv.ParseInt(rv, 10, 64)
	if err != nil || n <= 0 || rv[0] < '1' || rv[0] > '9' {
		return 0, apierrors.NewBadRequest("invalid resourceVersion " + strconv.Quote(rv) + ": want a decimal revision")
	}
	return n, nil
}

// ParseGetOptions returns the store options of a get request.
func ParseGetOptions(o meta.GetOptions) (GetOptions, error) {
	n, err := parseRV(o.ResourceVersion)
	switch {
	case err != nil:
		return GetOptions{}, err
	case o.ResourceVersion == "":
		return GetOptions{}, nil
	case n == 0:
		return GetOptions{Consistency: Any}, nil
	}
	return GetOptions{Consistency: NotOlderThan, Revision: n}, nil
}

// Meta returns the query of a get request with these options. Exact has no get form in the
// Kubernetes API and is sent as NotOlderThan.
func (o GetOptions) Meta() meta.GetOptions {
	switch o.Consistency {
	case Any:
		return meta.GetOptions{ResourceVersion: "0"}
	case NotOlderThan, Exact:
		return meta.GetOptions{ResourceVersion: strconv.FormatInt(o.Revision, 10)}
	}
	return meta.GetOptions{}
}

func parseSelectors(o meta.ListOptions) (labels.Selector, fields.Selector, error) {
	var ls labels.Selector
	var fs fields.Selector
	if o.LabelSelector != "" {
		s, err := labels.Parse(o.LabelSelector)
		if err != nil {
			return nil, nil, apierrors.NewBadRequest("invalid labelSelector: " + err.Error())
		}
		ls = s
	}
	if o.FieldSelector != "" {
		s, err := fields.ParseSelector(o.FieldSelector)
		if err != nil {
			return nil, nil, apierrors.NewBadRequest("invalid fieldSelector: " + err.Error())
		}
		fs = s
	}
	return ls, fs, nil
}

// ParseListOptions returns the store options of a list request. Invalid combinations fail
// with Invalid (422) or BadRequest (400), as the Kubernetes API server answers them.
func ParseListOptions(o meta.ListOptions) (ListOptions, error) {
	ls, fs, err := parseSelectors(o)
	if err != nil {
		return ListOptions{}, err
	}
	out := ListOptions{Labels: ls, Fields: fs, Limit: o.Limit, Continue: o.Continue}
	var errs field.ErrorList
	if o.Limit < 0 {
		errs = append(errs, field.Invalid(field.NewPath("limit"), o.Limit, "must be non-negative"))
	}
	if o.SendInitialEvents != nil {
		errs = append(errs, field.Forbidden(field.NewPath("sendInitialEvents"), "sendInitialEvents is forbidden for list"))
	}
	switch o.ResourceVersionMatch {
	case "", meta.ResourceVersionMatchNotOlderThan, meta.ResourceVersionMatchExact:
	default:
		errs = append(errs, field.NotSupported(field.NewPath("resourceVersionMatch"), o.ResourceVersionMatch,
			[]string{string(meta.ResourceVersionMatchExact), string(meta.ResourceVersionMatchNotOlderThan)}))
	}
	if o.ResourceVersionMatch != "" {
		if o.ResourceVersion == "" {
			errs = append(errs, field.Forbidden(field.NewPath("resourceVersionMatch"), "resourceVersionMatch is forbidden unless resourceVersion is provided"))
		}
		if o.Continue != "" {
			errs = append(errs, field.Forbidden(field.NewPath("resourceVersionMatch"), "resourceVersionMatch is forbidden when continue is provided"))
		}
		if o.ResourceVersionMatch == meta.ResourceVersionMatchExact && o.ResourceVersion == "0" {
			errs = append(errs, field.Forbidden(field.NewPath("resourceVersionMatch"), "resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\""))
		}
	}
	if len(errs) > 0 {
		return ListOptions{}, invalidOptions(errs)
	}
	n, err := parseRV(o.ResourceVersion)
	if err != nil {
		return ListOptions{}, err
	}
	if o.Continue != "" {
		if o.ResourceVersion != "" && o.ResourceVersion != "0" {
			return ListOptions{}, apierrors.NewBadRequest("specifying resource version is not allowed when using continue")
		}
		return out, nil
	}
	switch {
	case o.ResourceVersion == "":
	case n == 0:
		out.Consistency = Any
	case o.ResourceVersionMatch == meta.ResourceVersionMatchExact,
		o.ResourceVersionMatch == "" && o.Limit > 0:
		out.Consistency, out.Revision = Exact, n
	default:
		out.Consistency, out.Revision = NotOlderThan, n
	}
	return out, nil
}

func selectorStrings(l labels.Selector, f fields.Selector) (string, string) {
	var ls, fs string
	if l != nil {
		ls = l.String()
	}
	if f != nil {
		fs = f.String()
	}
	return ls, fs
}

// Meta returns the query of a list request with these options.
func (o ListOptions) Meta() meta.ListOptions {
	out := meta.ListOptions{Limit: o.Limit, Continue: o.Continue}
	out.LabelSelector, out.FieldSelector = selectorStrings(o.Labels, o.Fields)
	switch o.Consistency {
	case Any:
		out.ResourceVersion = "0"
	case NotOlderThan:
		out.ResourceVersion = strconv.FormatInt(o.Revision, 10)
		out.ResourceVersionMatch = meta.ResourceVersionMatchNotOlderThan
	case Exact:
		out.ResourceVersion = strconv.FormatInt(o.Revision, 10)
		out.ResourceVersionMatch = meta.ResourceVersionMatchExact
	}
	return out
}

// ParseWatchOptions returns the store options of a watch request (a list request with
// watch=true). The request's timeoutSeconds is the caller's to apply, through the context.
func ParseWatchOptions(o meta.ListOptions) (WatchOptions, error) {
	ls, fs, err := parseSelectors(o)
	if err != nil {
		return WatchOptions{}, err
	}
	out := WatchOptions{Labels: ls, Fields: fs, Bookmarks: o.AllowWatchBookmarks}
	var errs field.ErrorList
	if o.Continue != "" {
		errs = append(errs, field.Forbidden(field.NewPath("continue"), "continue is forbidden for watch"))
	}
	switch o.ResourceVersionMatch {
	case "":
		if o.SendInitialEvents != nil {
			errs = append(errs, field.Forbidden(field.NewPath("resourceVersionMatch"),
				"sendInitialEvents requires resourceVersionMatch \"NotOlderThan\""))
		}
	case meta.ResourceVersionMatchNotOlderThan:
		if o.SendInitialEvents == nil {
			errs = append(errs, field.Forbidden(field.NewPath("resourceVersionMatch"),
				"resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
		}
	default:
		errs = append(errs, field.NotSupported(field.NewPath("resourceVersionMatch"), o.ResourceVersionMatch,
			[]string{string(meta.ResourceVersionMatchNotOlderThan)}))
	}
	if o.SendInitialEvents != nil && *o.SendInitialEvents && !o.AllowWatchBookmarks {
		errs = append(errs, field.Forbidden(field.NewPath("allowWatchBookmarks"), "sendInitialEvents requires setting allowWatchBookmarks to true"))
	}
	if len(errs) > 0 {
		return WatchOptions{}, invalidOptions(errs)
	}
	n, err := parseRV(o.ResourceVersion)
	if err != nil {
		return WatchOptions{}, err
	}
	out.Revision = n
	switch {
	case o.SendInitialEvents != nil:
		out.SendInitialEvents = *o.SendInitialEvents
	case n == 0:
		out.SendInitialEvents = true // legacy: "" and "0" start with the current state
	}
	return out, nil
}

// Meta returns the query of a watch request with these options. A watch from "now" without
// the current state has no Kubernetes form (a client first learns the current revision, for
// example from a list with limit 1, and watches from it), so Meta fails for it with a
// BadRequest.
func (o WatchOptions) Meta() (meta.ListOptions, error) {
	out := meta.ListOptions{Watch: true, AllowWatchBookmarks: o.Bookmarks}
	out.LabelSelector, out.FieldSelector = selectorStrings(o.Labels, o.Fields)
	switch {
	case o.SendInitialEvents && o.Bookmarks:
		t := true
		out.SendInitialEvents = &t
		out.ResourceVersionMatch = meta.ResourceVersionMatchNotOlderThan
		if o.Revision > 0 {
			out.ResourceVersion = strconv.FormatInt(o.Revision, 10)
		}
	case o.SendInitialEvents && o.Revision == 0:
		// legacy form: resourceVersion unset
	case o.SendInitialEvents:
		return meta.ListOptions{}, apierrors.NewBadRequest("a watch with initial events from a revision needs bookmarks in the Kubernetes API")
	case o.Revision > 0:
		out.ResourceVersion = strconv.FormatInt(o.Revision, 10)
	default:
		return meta.ListOptions{}, apierrors.NewBadRequest("a watch from now without the current state has no Kubernetes form; watch from a revision")
	}
	return out, nil
}
