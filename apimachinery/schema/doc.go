// Package schema names API groups, versions, kinds and resources, and parses their string forms.
//
// A kind (GroupVersionKind) names a Go type of the API ("apps/v1, Kind=Deployment"); a resource
// (GroupVersionResource) names the HTTP collection that serves it ("apps/v1, Resource=deployments").
// The core group is the empty string and is written without a group, as "v1".
//
// The usual conversions: an object's apiVersion and kind fields become a kind with
// FromAPIVersionAndKind (or ParseGroupVersion, to see errors), and go back with
// ToAPIVersionAndKind; a group version makes kinds and resources with WithKind and WithResource;
// kubectl's "resource.group" and "resource.version.group" arguments parse with
// ParseGroupResource and ParseResourceArg (ParseGroupKind and ParseKindArg for kinds).
//
// # Concurrency and ownership
//
// Every type here is a small comparable value, usable as a map key and safe to share.
package schema
