"""The live page's files (see streams/web.py); uPlot is vendored from its npm package."""
