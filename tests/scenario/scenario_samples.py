"""Sample scenario texts shared by the scenario tests."""

VALID = '''\
# Een geldig scenario voor de tests.
[scenario]
name = "testwijk"
title = "Testwijk met projecten"
description = "Korte projecten, dan een bezuiniging."
seed = 7
horizon = "3y"

[neighbourhood]
n_residents = 200
income_shares = [0.5, 0.35, 0.15]

[neighbourhood.newcomers]
income_shares = [0.7, 0.25, 0.05]
potential_shift = -0.05

[network]
tie_decay = 0.03

[params]
shock_prob = 0.008

[[policies]]
type = "project_carousel"
name = "carrousel"
start = "6m"
end = "2y"
projects_per_year = 3

[[policies]]
type = "long_term_presence"
name = "presentie"
start = 4
workers = 2
target = { categories = ["vulnerable", "sliding"] }

[[policies]]
type = "budget_cut"
name = "bezuiniging"
start = "2y"
policies = ["presentie"]
'''
