"""Polls on threads: a question with 2 to 20 options, one choice or up to N, an
optional close date, results shown always / after voting / after the close,
voters public or anonymous, votes changeable or not.

- models.py: Poll, PollOption, PollVote (counts denormalized on the rows, moved
  with F() under the poll's row lock, so they are exact under any concurrency);
- services.py: create, vote, close (each bumps the thread page's version);
- selectors.py: what one viewer sees of a poll (their votes, whether they may
  vote, whether results show), rendered on the server;
- views.py, forms.py: voting, closing, adding a poll to a thread later.
"""
