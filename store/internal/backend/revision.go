package backend

import (
	"errors"
	"fmt"

	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/apimachinery/schema"
	"github.com/cellkit/cellkit/store"
)

// ReadRevision turns the consistency and revision a caller asked for into the revision a
// backend whose newest revision is current and whose history starts at compacted reads at.
// name is the backend's name, used in messages.
func ReadRevision(name, op string, gr schema.GroupResource, c store.Consistency, rev, current, compacted int64) (int64, error) {
	switch c {
	case store.Latest, store.Any:
		if rev != 0 {
			return 0, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: consistency %s takes no revision, got %d", op, gr, c, rev))
		}
		return current, nil
	case store.NotOlderThan:
		if rev < 0 {
			return 0, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: negative revision %d", op, gr, rev))
		}
		if rev > current {
			return 0, TooLarge(name, op, gr, rev, current)
		}
		return current, nil
	case store.Exact:
		if rev <= 0 {
			return 0, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: consistency Exact needs a revision above 0, got %d", op, gr, rev))
		}
		if rev > current {
			return 0, TooLarge(name, op, gr, rev, current)
		}
		if rev < compacted {
			return 0, Expired(op, gr, rev, compacted)
		}
		return rev, nil
	}
	return 0, apierrors.NewBadRequest(fmt.Sprintf("store: %s %s: unknown consistency %d", op, gr, c))
}

// TooLarge is the error of a read or watch at revision rev beyond the backend's current one.
func TooLarge(name, op string, gr schema.GroupResource, rev, current int64) error {
	return fmt.Errorf("%s: %s %s at revision %d: %w", name, op, gr, rev,
		apierrors.NewTooLargeResourceVersion(uint64(rev), uint64(current), 1))
}

// Expired is the error of a read, continue token or watch at a revision older than the kept
// history.
func Expired(op string, gr schema.GroupResource, rev, compacted int64) error {
	return apierrors.NewResourceExpired(fmt.Sprintf("store: %s %s: too old resource version: %d (compacted to %d)", op, gr, rev, compacted))
}

// StatusOf returns the Status an Error watch event carries for err: the Status of an API
// error, or an InternalError Status for any other error.
func StatusOf(err error) meta.Status {
	var se interface{ Status() meta.Status }
	var st meta.Status
	if errors.As(err, &se) {
		st = se.Status()
	} else {
		st = meta.Status{Status: meta.StatusFailure, Code: 500, Reason: "InternalError", Message: err.Error()}
	}
	st.TypeMeta = meta.TypeMeta{Kind: "Status", APIVersion: "v1"}
	return st
}
