"""The anywidget base every widget shares.

``base`` holds :class:`AnnotatorWidget` (``_esm`` as a path, strict keyword arguments, record
lists that cross as change messages, the ``panel`` trait and ``on_panel_action``); ``labels``
the label sets and the check of label-name lists; ``panel`` the state of the session panel that
every widget's front end draws under itself (progress, message, buttons, charts);
``mainloop`` the helper that runs work on the kernel's main thread; ``style`` the CSS of the
ipywidgets containers.
"""
