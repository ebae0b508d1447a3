// Package noobjects has types but no API object: interngen writes no file.
package noobjects

type Config struct {
	Data map[string]string
}
