"""What is made from rendered clips: the lecture video, decks, the handout, the contact sheet."""
