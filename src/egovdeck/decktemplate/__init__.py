"""Deck templates: a .pptx/.potx file -> its layouts mapped to slide roles, placeholder boxes and styles, and
the content area clear of the designer's artwork (python-pptx).

Read by the input stage (which checks a user's template and reports its problems, located) and used by
the deck renderer (which fills the opened Presentation); it depends on neither.
"""
