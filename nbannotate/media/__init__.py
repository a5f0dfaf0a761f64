"""Reading and encoding media: images (PNG/JPEG bytes), audio files, PDF pages.

Used by the widgets and by the models alike; imports nothing else of the package.
"""
