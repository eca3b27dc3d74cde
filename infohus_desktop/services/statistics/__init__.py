"""Statistics over whole months: one builder per section, small counts suppressed, from the
codes the member's groups can read."""
