"""repair: masked placeholders, punctuation, variant characters, set phrases and the confusion scorer,
run on each paragraph after its lines are decided."""
