package framework

import (
	"errors"
	"fmt"
)

// Factory builds a plugin from its typed arguments (nil means the plugin's defaults).
type Factory func(args any, h Handle) (Plugin, error)

// Registry maps plugin names to factories. Build one with the plugins you need; the plugins
// package provides the in-tree set.
type Registry map[string]Factory

// Merge adds the entries of o; a name present in both is an error.
func (r Registry) Merge(o Registry) error {
	for name, f := range o {
		if _, ok := r[name]; ok {
			return fmt.Errorf("merge registry: plugin %q: %w", name, ErrDuplicatePlugin)
		}
		r[name] = f
	}
	return nil
}

// ExtensionPoint is a bit set of extension points.
type ExtensionPoint uint32

// Extension points, usable as a mask in PluginConfig.Points.
const (
	PointPreEnqueue ExtensionPoint = 1 << iota
	PointQueueSort
	PointPreFilter
	PointFilter
	PointPostFilter
	PointPreScore
	PointScore
	PointReserve
	PointPermit
	PointPreBind
	PointBind
	PointPostBind
	// AllPoints enables a plugin at every extension point it implements.
	AllPoints ExtensionPoint = 1<<iota - 1
)

// PluginConfig enables one plugin in a profile.
type PluginConfig struct {
	// Name is the registry name.
	Name string
	// Weight multiplies the plugin's normalized score; 0 means 1. Ignored for non-Score plugins.
	Weight int32
	// Args are the plugin's typed arguments (for example *plugins.NodeResourcesFitArgs);
	// nil means defaults.
	Args any
	// Points restricts the extension points the plugin is enabled at; 0 means AllPoints.
	Points ExtensionPoint
}

// Profile is a scheduler configuration selected by a pod's spec.schedulerName.
type Profile struct {
	// SchedulerName is matched against pod.spec.schedulerName ("default-scheduler" for the
	// default profile).
	SchedulerName string
	// Plugins are enabled in order; at each extension point they run in this order.
	Plugins []PluginConfig
	// PercentageOfNodesToScore: 0 is adaptive (50% minus 1% per 125 nodes, at least 5%, at
	// least 100 nodes, as kube-scheduler); 100 evaluates every node.
	PercentageOfNodesToScore int32
}

// Errors of building a framework.
var (
	// ErrDuplicatePlugin: a plugin name appears twice.
	ErrDuplicatePlugin = errors.New("duplicate plugin")
	// ErrUnknownPlugin: a profile names a plugin the registry lacks.
	ErrUnknownPlugin = errors.New("unknown plugin")
	// ErrInvalidProfile: a profile is inconsistent (no queue sort, no binder, bad weight...).
	ErrInvalidProfile = errors.New("invalid profile")
)
