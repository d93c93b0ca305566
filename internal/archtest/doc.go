// Package archtest holds the test of the directions Pollen's packages
// import each other in (arch_test.go); it has no code of its own. The
// allowed directions are listed there, one package at a time: a new
// package, or a new import between packages, starts by adding it.
package archtest
