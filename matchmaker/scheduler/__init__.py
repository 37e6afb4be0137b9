"""The B2B meeting scheduler: participants' preferences in, meetings in slots and tables out.

problem.py states the problem without the database (so the benchmark and the tests can build
one directly); greedy.py is the first-fit baseline; solver.py the scheduler the product uses;
preferences.py and service.py read and write the fair's rows.
"""
