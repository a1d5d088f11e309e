"""Run the programs named on the command line (all of them when none is), one after the other."""
import sys

import file_programs
import helpers
import image_programs
import recognition_programs

ALL = (list(image_programs.OPERATIONS)
       + ["recognize", "recognize_trial", "recognize_spellcheck", "recognize_upsampling", "recognize_pdf_result",
          "recognize_pdf", "recognize_regions", "detect_regions", "recognize_table"]
       + list(file_programs.UPLOADS))


def run_demo(names):
    helpers.make_results_folder()
    config = helpers.configuration()
    for name in names or ALL:
        print(f"== {name}")
        if name in image_programs.OPERATIONS:
            image_programs.run_image_demo(config, name)
        elif name in file_programs.UPLOADS:
            file_programs.run_file_demo(config, name)
        else:
            recognition_programs.run_recognition_demo(config, name)


if __name__ == "__main__":
    run_demo(sys.argv[1:])
