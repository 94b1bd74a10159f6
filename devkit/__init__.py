"""Tools beside the product: a local Slack (the emulator) and `tandem demo` built on it.

They import the product; the product never imports them (a test checks it). Shipped with the
package because `tandem demo` uses them.
"""
