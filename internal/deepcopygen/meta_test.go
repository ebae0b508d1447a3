package main

import (
	"path/filepath"
	"testing"

	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/internal/deepcopygen/deepcopytest"
)

// TestMetaDeepCopy runs the deep-copy property over every type generated into apimachinery/meta
// (that package's other files belong to another owner; its generated file is ours).
func TestMetaDeepCopy(t *testing.T) {
	deepcopytest.CheckPackage(t, filepath.Join("..", "..", "apimachinery", "meta"), deepcopytest.Options{},
		&meta.Condition{}, &meta.CreateOptions{}, &meta.DeleteOptions{}, &meta.FieldsV1{}, &meta.GetOptions{},
		&meta.LabelSelector{}, &meta.LabelSelectorRequirement{}, &meta.ListMeta{}, &meta.ListOptions{},
		&meta.ManagedFieldsEntry{}, &meta.ObjectMeta{}, &meta.OwnerReference{}, &meta.PatchOptions{},
		&meta.Preconditions{}, &meta.Status{}, &meta.StatusCause{}, &meta.StatusDetails{}, &meta.TypeMeta{},
		&meta.UpdateOptions{},
	)
}
