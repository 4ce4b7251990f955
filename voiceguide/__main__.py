from voiceguide.cli.app import main

main()
