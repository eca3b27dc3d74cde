"""The start page (*Overblik*): what needs the member's attention, from the other features."""
