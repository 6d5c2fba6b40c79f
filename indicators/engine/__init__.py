"""Engine: each definition compiled to one SQL query, run on any engine, results judged."""
