"""`perkbot sandbox`: Perkbot, unchanged, against the fake Slack with a web page.

One process: the fake Slack (Web API, response URLs, and the page on the same port),
Perkbot's own HTTP app on another local port, a clock the page can move, and a demo
workspace. Everything listens on 127.0.0.1 and keeps its data in its own folder.
"""
