"""Indy: a French assistant that helps young people find their way into industry."""
