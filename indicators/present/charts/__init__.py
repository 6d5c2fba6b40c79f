"""Charts: pure functions from a frame to a Plotly figure, in one accessible style."""
