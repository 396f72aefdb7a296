"""`mou serve`: the web page and the HTTP API, a front end beside the click layer.

Stage: web. May import every stage of the library (errors, language, scenario,
evaluation, answers, api, tools); never click, and nothing imports it but
`mou.commands.serve`. As thin over the library as the click layer is:

    jobs.py     one request's work, as the commands do it: run in a worker process
    pool.py     the worker processes, forked once the rule set is loaded; one past its time is killed and replaced
    reference.py  event types, fields, questions, choices, parameters: from the rule set, for the page's form
    workspace.py  the scenario files offered: the directory's listing when asked, opened only by a name from it
    guards.py   what every request goes through first: its Host, its size
    app.py      the FastAPI application: routes, bodies, status codes, the page and its assets
    static/     the page (HTML, CSS, plain JavaScript), shipped as package data
"""
