from voiceguide.cli.app import main

if __name__ == "__main__":  # not when a worker process (speech/piper.py) imports it as __mp_main__
    main()
